import { Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import type * as events from 'aws-cdk-lib/aws-events';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { CertificateExpiry } from './certificate-expiry';
import { type CertificateKeyAlgorithm, PrivateRootCa } from './private-ca';

/** A public certificate from ACM, validated by DNS records in a Route 53 zone of this account. */
export interface PublicCertificateSource {
  readonly kind: 'public';
  readonly domainName: string;
  /** @default - none */
  readonly subjectAlternativeNames?: readonly string[];
  /** Zone that holds `domainName`; named here because synth never looks anything up. */
  readonly hostedZoneId: string;
  readonly hostedZoneName: string;
}

/** A certificate already in ACM: imported (the SRA's CSR design consideration) or managed elsewhere. */
export interface ImportedCertificateSource {
  readonly kind: 'imported';
  readonly certificateArn: string;
}

/** A private certificate issued by ACM from AWS Private CA: give exactly one of `certificateAuthorityArn` and `createCertificateAuthority`. */
export interface PrivateCertificateSource {
  readonly kind: 'private';
  readonly domainName: string;
  /** @default - none */
  readonly subjectAlternativeNames?: readonly string[];
  /** An existing CA (the PKI team's subordinate CA, possibly shared through AWS RAM), in general-purpose mode. @default - none */
  readonly certificateAuthorityArn?: string;
  /** Create a root CA for this certificate (see `PrivateRootCa` for cost and PCA.1). @default - none */
  readonly createCertificateAuthority?: { readonly commonName: string; readonly organization?: string; readonly validityYears?: number };
}

export type CertificateSource = PublicCertificateSource | ImportedCertificateSource | PrivateCertificateSource;

export interface ServerCertificateProps {
  /** Where the certificate comes from. */
  readonly source: CertificateSource;
  /** Key algorithm of issued certificates (and of a created CA). @default 'RSA_2048' */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;
  /** Where "approaching expiration" events go. @default - none; add a target to `expiry.rule` */
  readonly expiryTarget?: events.IRuleTarget;
  /** Days before expiry that count as expiring, for the Config rule. @default 45 */
  readonly daysToExpiration?: number;
  /** Add the AWS Config expiry rule (needs a configuration recorder in the account). @default true */
  readonly expiryConfigRule?: boolean;
}

const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const PCA_ARN = /^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]{36}$/;

/**
 * The load balancer's server certificate, from one of three sources, with
 * expiry monitoring on all of them.
 */
export class ServerCertificate extends Construct {
  readonly certificate: acm.ICertificate;
  /** The CA this construct created, when asked to. */
  readonly certificateAuthority?: PrivateRootCa;
  readonly expiry: CertificateExpiry;

  constructor(scope: Construct, id: string, props: ServerCertificateProps) {
    super(scope, id);
    const keyAlgorithm = props.keyAlgorithm === 'EC_prime256v1' ? acm.KeyAlgorithm.EC_PRIME256V1 : acm.KeyAlgorithm.RSA_2048;
    const source = props.source;
    switch (source.kind) {
      case 'public': {
        this.requireText(source.domainName, 'source.domainName', source.kind);
        this.requireText(source.hostedZoneId, 'source.hostedZoneId', source.kind);
        this.requireText(source.hostedZoneName, 'source.hostedZoneName', source.kind);
        const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: source.hostedZoneId, zoneName: source.hostedZoneName });
        this.certificate = new acm.Certificate(this, 'Resource', {
          domainName: source.domainName,
          subjectAlternativeNames: source.subjectAlternativeNames ? [...source.subjectAlternativeNames] : undefined,
          validation: acm.CertificateValidation.fromDns(zone),
          keyAlgorithm,
          transparencyLoggingEnabled: true,
        });
        break;
      }
      case 'imported':
        this.requireText(source.certificateArn, 'source.certificateArn', source.kind);
        if (!Token.isUnresolved(source.certificateArn) && !ACM_ARN.test(source.certificateArn)) {
          throw new Error(`${this.node.path}: source.certificateArn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>); IAM server certificates are not accepted (got ${source.certificateArn})`);
        }
        this.certificate = acm.Certificate.fromCertificateArn(this, 'Resource', source.certificateArn);
        break;
      case 'private': {
        this.requireText(source.domainName, 'source.domainName', source.kind);
        const { authority, created } = this.certificateAuthorityFor(source, props.keyAlgorithm ?? 'RSA_2048');
        this.certificateAuthority = created;
        const certificate = new acm.PrivateCertificate(this, 'Resource', {
          domainName: source.domainName,
          subjectAlternativeNames: source.subjectAlternativeNames ? [...source.subjectAlternativeNames] : undefined,
          certificateAuthority: authority,
          keyAlgorithm,
        });
        if (created) certificate.node.addDependency(created.activation);
        this.certificate = certificate;
        break;
      }
      default:
        throw new Error(`${this.node.path}: source.kind must be 'public', 'imported' or 'private' (got ${JSON.stringify((source as { kind?: unknown }).kind)})`);
    }
    this.expiry = new CertificateExpiry(this, 'Expiry', {
      certificateArn: this.certificate.certificateArn,
      daysToExpiration: props.daysToExpiration,
      target: props.expiryTarget,
      configRule: props.expiryConfigRule,
    });
  }

  private certificateAuthorityFor(
    source: PrivateCertificateSource,
    keyAlgorithm: CertificateKeyAlgorithm,
  ): { authority: acmpca.ICertificateAuthority; created?: PrivateRootCa } {
    const { certificateAuthorityArn: arn, createCertificateAuthority: create } = source;
    if ((arn === undefined) === (create === undefined)) {
      throw new Error(`${this.node.path}: a private certificate needs exactly one of source.certificateAuthorityArn (an existing CA) and source.createCertificateAuthority`);
    }
    if (arn !== undefined) {
      if (!Token.isUnresolved(arn) && !PCA_ARN.test(arn)) {
        throw new Error(`${this.node.path}: source.certificateAuthorityArn must be an AWS Private CA ARN (arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>) (got ${arn})`);
      }
      return { authority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(this, 'Authority', arn) };
    }
    const created = new PrivateRootCa(this, 'Authority', { ...create!, keyAlgorithm });
    return { authority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(this, 'AuthorityRef', created.certificateAuthorityArn), created };
  }

  private requireText(value: string | undefined, prop: string, kind: string): void {
    if (typeof value !== 'string' || !value.trim()) throw new Error(`${this.node.path}: ${prop} is required when source.kind is '${kind}'`);
  }
}
