import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/run';

describe('npm run synth (tools/synth.ts)', () => {
  test('synthesizes both examples without credentials and prints resources and the compliance table', () => {
    const result = run('tsx', ['tools/synth.ts', 'config/dev.yaml', 'config/prod.yaml']);
    expect(result.stderr).not.toMatch(/unacknowledged/);
    expect(result.status).toBe(0);
    for (const stack of ['sra-app-dev-security', 'sra-app-dev-network', 'sra-app-dev-data', 'sra-app-prod-security', 'sra-app-prod-network', 'sra-app-prod-data']) {
      expect(result.stdout).toMatch(new RegExp(`${stack}\\s+\\d+ resources`));
    }
    expect(result.stdout).toMatch(/rule pack\s+errors\s+warnings\s+acknowledged/);
    for (const pack of ['AwsSolutions', 'NIST.800.53.R5', 'PCI.DSS.321', 'HIPAA.Security']) {
      expect(result.stdout).toMatch(new RegExp(`${pack.replace(/\./g, '\\.')}\\s+0\\s+0\\s+\\d+`));
    }
  });

  test('a bad config stops before synthesis with every wrong field named, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sra-bad-'));
    const file = join(dir, 'bad.yaml');
    const good = readFileSync('config/dev.yaml', 'utf8');
    writeFileSync(file, good.replace('"111111111111"', '"1111"').replace('10.20.0.0/16', '10.20.0.0/33'));
    const result = run('tsx', ['tools/synth.ts', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/environments\[0\]\.account: must be a 12-digit AWS account id/);
    expect(result.stderr).toMatch(/network\.cidr: must be an IPv4 CIDR/);
    expect(result.stdout).not.toMatch(/resources/);
  });
});
