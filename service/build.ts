import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The RDS CA bundle pinned in the repository (checksum checked by test/service/ca-bundle.test.ts). */
export const RDS_CA_BUNDLE = join(__dirname, 'certs', 'rds-global-bundle.pem');

/**
 * Bundles the documents service into one file for the fleet: `<outdir>/server.js` (run with
 * `node server.js`, Node.js 20+) beside `<outdir>/rds-global-bundle.pem` (point DB_CA_FILE at it).
 * All dependencies are inside; no node_modules on the instance.
 */
export async function buildServiceBundle(outdir: string): Promise<{ file: string; bytes: number; caFile: string }> {
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, 'server.js');
  await build({
    entryPoints: [join(__dirname, 'src', 'main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'external',
    // pg's optional native binding is not used.
    external: ['pg-native'],
    logLevel: 'error',
  });
  const caFile = join(outdir, 'rds-global-bundle.pem');
  copyFileSync(RDS_CA_BUNDLE, caFile);
  return { file, bytes: statSync(file).size, caFile };
}

if (require.main === module) {
  buildServiceBundle(process.argv[2] ?? join('cdk.out', 'service-bundle')).then(
    (r) => console.log(`${r.file}: ${(r.bytes / 1024).toFixed(0)} KiB`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
