import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/run';

describe('bin/app.ts through the CDK CLI', () => {
  test('cdk synth needs no AWS credentials and no lookups, and writes every stage', () => {
    const out = mkdtempSync(join(tmpdir(), 'sra-cdk-'));
    const result = run('cdk', ['synth', '**', '--quiet', '-c', 'config=config/prod.yaml', '-o', out]);
    expect(result.stderr).not.toMatch(/lookup|credentials|Need to perform AWS calls/i);
    expect(result.status).toBe(0);
    const templates = readdirSync(join(out, 'assembly-prod')).filter((f) => f.endsWith('.template.json'));
    expect(templates.map((t) => t.replace(/[0-9A-F]{8}\.template\.json$/, '')).sort()).toEqual(['prodApplication', 'prodData', 'prodDetection', 'prodNetwork', 'prodResponse', 'prodSecurity']);
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
