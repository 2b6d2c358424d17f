import { Annotations, Aws } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { Construct } from 'constructs';

/** Key algorithms this project issues with: both satisfy Security Hub ACM.2 (RSA of 2048 bits or more, or ECDSA). */
export type CertificateKeyAlgorithm = 'RSA_2048' | 'EC_prime256v1';

const SIGNING_ALGORITHM: Record<CertificateKeyAlgorithm, string> = {
  RSA_2048: 'SHA256WITHRSA',
  EC_prime256v1: 'SHA256WITHECDSA',
};

export interface PrivateRootCaProps {
  /** Subject common name of the CA certificate, e.g. `sra-app dev internal root`. */
  readonly commonName: string;
  /** Subject organization. @default - none */
  readonly organization?: string;
  /** Key algorithm of the CA; the family (RSA or ECDSA) must match the certificates it signs. @default 'RSA_2048' */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;
  /** Validity of the self-signed CA certificate, in years; it must outlast every certificate it signs (ACM: 395 days). @default 10 */
  readonly validityYears?: number;
}

/**
 * A root CA in AWS Private CA, signed by itself and activated in the same
 * deployment, that ACM may issue and renew private certificates from.
 *
 * It is GENERAL_PURPOSE (about $400 a month): ACM cannot issue certificates
 * from a CA in short-lived certificate mode (their validity is capped at 7
 * days, ACM's private certificates last 395), and an ALB only takes ACM or IAM
 * certificates. Revocation is by OCSP, which needs no CRL bucket.
 *
 * For development and tests: Security Hub PCA.1 expects root CAs to be
 * disabled, with a subordinate CA doing the issuing. In production give
 * `ServerCertificate` the ARN of a subordinate CA run by the PKI team, as the
 * SRA recommends.
 */
export class PrivateRootCa extends Construct {
  readonly certificateAuthority: acmpca.CfnCertificateAuthority;
  /** ARN of the CA; it can issue once `activation` is complete. */
  readonly certificateAuthorityArn: string;
  /** Depend on this before requesting certificates from the CA. */
  readonly activation: acmpca.CfnCertificateAuthorityActivation;

  constructor(scope: Construct, id: string, props: PrivateRootCaProps) {
    super(scope, id);
    const validityYears = props.validityYears ?? 10;
    if (!props.commonName.trim()) throw new Error(`${this.node.path}: commonName must not be empty`);
    if (!Number.isInteger(validityYears) || validityYears < 2) {
      throw new Error(`${this.node.path}: validityYears must be a whole number of at least 2, so the CA outlasts the 395-day ACM certificates it signs (got ${validityYears})`);
    }
    const keyAlgorithm = props.keyAlgorithm ?? 'RSA_2048';
    const signingAlgorithm = SIGNING_ALGORITHM[keyAlgorithm];

    this.certificateAuthority = new acmpca.CfnCertificateAuthority(this, 'Resource', {
      type: 'ROOT',
      keyAlgorithm,
      signingAlgorithm,
      subject: { commonName: props.commonName, organization: props.organization },
      usageMode: 'GENERAL_PURPOSE',
      keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
      revocationConfiguration: { ocspConfiguration: { enabled: true }, crlConfiguration: { enabled: false } },
    });
    this.certificateAuthorityArn = this.certificateAuthority.attrArn;

    const certificate = new acmpca.CfnCertificate(this, 'Certificate', {
      certificateAuthorityArn: this.certificateAuthorityArn,
      certificateSigningRequest: this.certificateAuthority.attrCertificateSigningRequest,
      signingAlgorithm,
      templateArn: `arn:${Aws.PARTITION}:acm-pca:::template/RootCACertificate/V1`,
      validity: { type: 'YEARS', value: validityYears },
    });
    this.activation = new acmpca.CfnCertificateAuthorityActivation(this, 'Activation', {
      certificateAuthorityArn: this.certificateAuthorityArn,
      certificate: certificate.attrCertificate,
      status: 'ACTIVE',
    });

    // Without this permission ACM can issue once (with the deployer's rights) but never renew.
    new acmpca.CfnPermission(this, 'AcmRenewal', {
      certificateAuthorityArn: this.certificateAuthorityArn,
      principal: 'acm.amazonaws.com',
      actions: ['IssueCertificate', 'GetCertificate', 'ListPermissions'],
      sourceAccount: Aws.ACCOUNT_ID,
    }).node.addDependency(this.activation);

    Annotations.of(this).addWarningV2(
      'sra:privateRootCa',
      'Creates a general-purpose AWS Private CA root (about $400/month) that stays active, which Security Hub PCA.1 reports; use an existing subordinate CA in production',
    );
  }
}
