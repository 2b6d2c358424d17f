import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BUNDLE_CA, BUNDLE_MAIN, buildServiceBundle, SERVICE_CA_BUNDLE } from '../../../src/constructs/compute/service-asset';

describe('the service bundle', () => {
  const bundle = buildServiceBundle();

  test('one archive holding the bundled service and the pinned RDS CA bundle, nothing else', () => {
    const names = execFileSync('tar', ['-tzf', bundle.archive]).toString().split('\n').filter((n) => n && n !== './');
    expect(names.sort()).toEqual([`./${BUNDLE_MAIN}`, `./${BUNDLE_CA}`].sort());
    expect(bundle.hasCaBundle).toBe(true);
    const ca = execFileSync('tar', ['-xzOf', bundle.archive, `./${BUNDLE_CA}`]);
    expect(ca.equals(readFileSync(SERVICE_CA_BUNDLE))).toBe(true);
  });

  test('the SHA-256 the instances check is the archive\'s', () => {
    expect(bundle.sha256).toBe(createHash('sha256').update(readFileSync(bundle.archive)).digest('hex'));
  });

  test('the archive records no owner or time, so the same sources give the same bytes', () => {
    const listing = execFileSync('tar', ['-tvzf', bundle.archive, '--numeric-owner']).toString();
    for (const line of listing.trim().split('\n')) expect(line).toMatch(/ 0\/0 .* 1970-01-01 /);
  });
});
