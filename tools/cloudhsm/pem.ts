/**
 * Checks on the two certificates InitializeCluster takes, so a wrong file fails here with a clear message and not in
 * CloudHSM after the fact: each must be one PEM certificate of at most 5,000 characters (CloudHSM's limit), the
 * trust anchor a self-signed root, and the cluster certificate signed by it and currently valid.
 */
import { X509Certificate } from 'node:crypto';

const MAX_CHARS = 5000;
const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** A distinguished name on one line (Node separates its parts with newlines). */
const dn = (name: string) => name.replace(/\n/g, ', ');

export interface Certificate {
  flag: string;
  pem: string;
  x509: X509Certificate;
}

export function parseCertificate(text: string, flag: string): Certificate {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new Error(`${flag} contains a private key; pass the certificate only, and keep the CA key away from this machine`);
  }
  if (text.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
    throw new Error(`${flag} is a certificate signing request, not a signed certificate; sign it first (see the csr command)`);
  }
  const blocks = text.match(BLOCK) ?? [];
  if (blocks.length !== 1) {
    throw new Error(
      blocks.length === 0
        ? `${flag} is not a PEM certificate (expected one -----BEGIN CERTIFICATE----- block)`
        : `${flag} holds ${blocks.length} certificates; InitializeCluster takes exactly one`,
    );
  }
  const pem = `${blocks[0]}\n`;
  if (pem.length > MAX_CHARS) throw new Error(`${flag} is ${pem.length} characters; CloudHSM accepts at most ${MAX_CHARS}`);
  try {
    return { flag, pem, x509: new X509Certificate(pem) };
  } catch (error) {
    throw new Error(`${flag} is not a valid X.509 certificate: ${(error as Error).message}`);
  }
}

function checkValid(cert: Certificate, now: Date): void {
  const from = new Date(cert.x509.validFrom);
  const to = new Date(cert.x509.validTo);
  if (now < from || now > to) throw new Error(`${cert.flag} is not valid now: it is valid from ${cert.x509.validFrom} to ${cert.x509.validTo}`);
}

export function checkSignedBy(signed: Certificate, anchor: Certificate, now: Date): void {
  if (signed.x509.fingerprint256 === anchor.x509.fingerprint256) {
    throw new Error(`${signed.flag} and ${anchor.flag} are the same certificate; ${signed.flag} is the cluster certificate you signed, ${anchor.flag} your CA's certificate`);
  }
  if (!anchor.x509.checkIssued(anchor.x509) || !anchor.x509.verify(anchor.x509.publicKey)) {
    throw new Error(`${anchor.flag} must be a self-signed root CA certificate (subject "${dn(anchor.x509.subject)}" was issued by "${dn(anchor.x509.issuer)}")`);
  }
  if (!signed.x509.checkIssued(anchor.x509) || !signed.x509.verify(anchor.x509.publicKey)) {
    throw new Error(`${signed.flag} was not signed by ${anchor.flag} (its issuer is "${dn(signed.x509.issuer)}"); sign the cluster CSR with the CA whose certificate you pass as ${anchor.flag}`);
  }
  checkValid(anchor, now);
  checkValid(signed, now);
}
