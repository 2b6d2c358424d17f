import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RDS_CA_BUNDLE } from '../../service/build';

/**
 * The RDS CA bundle is pinned: the service verifies the database certificate against exactly
 * this file. A changed file (a new bundle from AWS) must change this checksum in the same commit.
 */
describe('pinned RDS CA bundle', () => {
  const pem = readFileSync(RDS_CA_BUNDLE, 'utf8');

  test('matches its pinned SHA-256', () => {
    expect(createHash('sha256').update(pem).digest('hex')).toBe('83fe4e0d026bae52ddaefca95aac0733d1be2fb6ebeec4434fc33d55d0929aa1');
  });

  test('holds only self-signed Amazon RDS root CAs valid today', () => {
    const certs = pem.split(/(?<=-----END CERTIFICATE-----)\n?/).filter((c) => c.includes('BEGIN CERTIFICATE')).map((c) => new X509Certificate(c));
    expect(certs.length).toBe(96);
    for (const cert of certs) {
      expect(cert.subject).toMatch(/CN=Amazon RDS .* Root CA (RSA2048|RSA4096|ECC384) G1/);
      expect(cert.ca).toBe(true);
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now());
    }
    expect(certs.some((c) => c.subject.includes('eu-west-1'))).toBe(true);
  });
});
