import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/app';
import { credentialFreeEnv, run } from '../helpers/run';

describe('bin/app.ts through the CDK CLI', () => {
  test('cdk synth needs no AWS credentials and no lookups, and writes every stage', () => {
    const out = mkdtempSync(join(tmpdir(), 'sra-cdk-'));
    const result = run('cdk', ['synth', '**', '--quiet', '-c', 'config=config/prod.yaml', '-o', out]);
    expect(result.stderr).not.toMatch(/lookup|credentials|Need to perform AWS calls/i);
    expect(result.status).toBe(0);
    const templates = readdirSync(join(out, 'assembly-prod')).filter((f) => f.endsWith('.template.json'));
    expect(templates.map((t) => t.replace(/[0-9A-F]{8}\.template\.json$/, '')).sort()).toEqual(['prodAnalytics', 'prodApplication', 'prodData', 'prodDetection', 'prodImage', 'prodNetwork', 'prodResponse', 'prodSecurity']);
    for (const manifest of [join(out, 'manifest.json'), join(out, 'assembly-prod', 'manifest.json')]) {
      expect(JSON.parse(readFileSync(manifest, 'utf8')).missing).toBeUndefined();
    }
  });

  test('a bad config named with -c config= fails with the field named', () => {
    const result = run('cdk', ['synth', '**', '--quiet', '-c', 'config=config/does-not-exist.yaml', '-o', mkdtempSync(join(tmpdir(), 'sra-cdk-'))]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/config\/does-not-exist\.yaml .*cannot read the file/s);
  });
});

describe('which config the CDK CLI deploys', () => {
  const unreadable = (file: string) => new RegExp(`${file.replaceAll('/', '\\/').replaceAll('.', '\\.')} .*cannot read the file`, 's');

  test('cdk.json names no config, so it cannot override SRA_CONFIG', () => {
    const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
    expect(cdkJson.context?.config).toBeUndefined();
  });

  // A config file that does not exist stops the app at once and names the file: proof of which file was chosen, without a full synth.
  test('cdk synth reads the file SRA_CONFIG names when no -c config= is given', () => {
    const result = run('cdk', ['synth', '**', '--quiet', '-o', mkdtempSync(join(tmpdir(), 'sra-cdk-'))], { SRA_CONFIG: 'config/from-env.yaml' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(unreadable('config/from-env.yaml'));
  });

  test('-c config= wins over SRA_CONFIG', () => {
    const result = run('cdk', ['synth', '**', '--quiet', '-c', 'config=config/from-context.yaml', '-o', mkdtempSync(join(tmpdir(), 'sra-cdk-'))], {
      SRA_CONFIG: 'config/from-env.yaml',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(unreadable('config/from-context.yaml'));
  });

  test('config/dev.yaml (relative to the working directory) is the default', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'sra-cwd-'));
    const result = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [join(REPO_ROOT, 'bin', 'app.ts')], {
      cwd: elsewhere,
      env: { ...credentialFreeEnv(), CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'sra-app-')) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(unreadable('config/dev.yaml'));
  });
});
