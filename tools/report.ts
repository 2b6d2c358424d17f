/**
 * `npm run report [-- config/prod.yaml]`: synthesizes a config (no credentials, no network) and writes one
 * self-contained HTML page, cdk.out/report/<config>.html: the architecture drawn from the templates, the traceability
 * of both source documents, compliance (rule packs and cfn-lint), monthly idle cost with the opt-ins, and limits.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { synthesizeForReport } from './report/assembly';
import { runCfnLint, type CfnLintResult } from './report/cfn-lint-result';
import { diagramModel } from './report/diagram-model';
import { renderDiagram } from './report/diagram';
import { renderPage } from './report/page';
import { checkMatrix, loadMatrix, matrixCounts } from './report/traceability';

const NOT_RUN: CfnLintResult = { ran: false, detail: 'not run (turned off for this report)', errors: [], warnings: [], ignored: [] };

export interface ReportOptions {
  readonly root?: string;
  /** Where the page (and the assembly it is drawn from) go. @default <root>/cdk.out/report */
  readonly outdir?: string;
  /** Run cfn-lint over the templates (default); tests of the page turn it off, the compliance tests run it. */
  readonly cfnLint?: boolean;
}

/** Writes cdk.out/report/<config>.html and returns its path. */
export async function writeReport(configPath: string, options: ReportOptions = {}): Promise<string> {
  const root = options.root ?? process.cwd();
  const config = loadConfig(configPath);
  const name = basename(configPath).replace(/\.ya?ml$/, '');
  const outdir = options.outdir ?? join(root, 'cdk.out', 'report');
  const assemblyDir = join(outdir, `${name}.assembly`);
  rmSync(assemblyDir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const input = synthesizeForReport(configPath, config, assemblyDir);
  const diagrams = [];
  for (const env of input.environments) diagrams.push({ env: env.name, svg: await renderDiagram(diagramModel(input.stacks.filter((s) => s.stage === env.name))) });
  const matrix = loadMatrix(root);
  const html = renderPage({ input, diagrams, matrix, matrixProblems: checkMatrix(root, matrix), lint: options.cfnLint === false ? NOT_RUN : runCfnLint(input.stacks, configPath), generated: new Date().toISOString() });
  const file = join(outdir, `${name}.html`);
  writeFileSync(file, html);
  return file;
}

if (require.main === module) {
  const configPath = process.argv[2] ?? process.env.SRA_CONFIG ?? 'config/dev.yaml';
  writeReport(configPath).then(
    (file) => {
      const counts = matrixCounts(loadMatrix(process.cwd()));
      console.log(`${file}\ntraceability: ${counts.traced} traced, ${counts.implemented} implemented, ${counts.partial + counts.gap} open (${counts.partial} partly, ${counts.gap} gaps)`);
    },
    (error) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
