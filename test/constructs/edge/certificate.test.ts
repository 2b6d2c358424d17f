import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as events from 'aws-cdk-lib/aws-events';
import { type CertificateSource, ServerCertificate, type ServerCertificateProps } from '../../../src/constructs/edge/certificate';
import { buildChecked } from '../../helpers/nag';

const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/12345678-1234-1234-1234-123456789012';
const CA_ARN = 'arn:aws:acm-pca:eu-west-1:222222222222:certificate-authority/12345678-1234-1234-1234-123456789012';
const PUBLIC: CertificateSource = { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };
const PRIVATE_EXISTING: CertificateSource = { kind: 'private', domainName: 'app.internal.example', certificateAuthorityArn: CA_ARN };
const PRIVATE_CREATED: CertificateSource = { kind: 'private', domainName: 'app.internal.example', createCertificateAuthority: { commonName: 'sra-app dev root', organization: 'Example' } };
/** Stands in for the account's findings routing. */
const FINDINGS: events.IRuleTarget = { bind: () => ({ arn: 'arn:aws:sns:eu-west-1:111111111111:findings', id: 'Findings' }) };

function build(props: ServerCertificateProps) {
  return buildChecked(({ stack }) => {
    new ServerCertificate(stack, 'Certificate', props);
  });
}

/** Synthesizes without the rule packs, for error cases and quick shape checks. */
function plain(props: ServerCertificateProps): Template {
  const stack = new Stack(new App(), 'Plain', { env: { account: '111111111111', region: 'eu-west-1' } });
  new ServerCertificate(stack, 'Certificate', props);
  return Template.fromStack(stack);
}

describe('ServerCertificate', () => {
  test.each([
    ['public', PUBLIC],
    ['imported', { kind: 'imported', certificateArn: CERT_ARN } as CertificateSource],
    ['private from an existing CA', PRIVATE_EXISTING],
    ['private from a created CA', PRIVATE_CREATED],
  ])('%s: passes all four packs', (_name, source) => {
    expect(build({ source, expiryTarget: FINDINGS }).findings).toEqual([]);
  });

  test('public: DNS-validated in the named zone (no lookup), RSA 2048, certificate transparency on', () => {
    plain({ source: PUBLIC }).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'app.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'app.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
      KeyAlgorithm: 'RSA_2048',
      CertificateTransparencyLoggingPreference: 'ENABLED',
    });
  });

  test('imported: no certificate is created, and expiry monitoring watches the given ARN', () => {
    const template = plain({ source: { kind: 'imported', certificateArn: CERT_ARN } });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ resources: [CERT_ARN] }) });
  });

  test('private from an existing CA: ACM issues from that CA, and nothing of Private CA is created', () => {
    const template = plain({ source: PRIVATE_EXISTING });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'app.internal.example', CertificateAuthorityArn: CA_ARN });
    template.resourceCountIs('AWS::ACMPCA::CertificateAuthority', 0);
  });

  describe('private from a created CA', () => {
    const template = plain({ source: PRIVATE_CREATED });

    test('a general-purpose root CA (ACM cannot issue from short-lived mode) with FIPS key storage and OCSP', () => {
      template.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
        Type: 'ROOT',
        UsageMode: 'GENERAL_PURPOSE',
        KeyAlgorithm: 'RSA_2048',
        SigningAlgorithm: 'SHA256WITHRSA',
        KeyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
        Subject: { CommonName: 'sra-app dev root', Organization: 'Example' },
        RevocationConfiguration: { OcspConfiguration: { Enabled: true }, CrlConfiguration: { Enabled: false } },
      });
    });

    test('self-signed with the root template and activated', () => {
      template.hasResourceProperties('AWS::ACMPCA::Certificate', {
        TemplateArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:::template/RootCACertificate/V1']] },
        Validity: { Type: 'YEARS', Value: 10 },
      });
      template.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', { Status: 'ACTIVE' });
    });

    test('ACM may renew from it, and the certificate waits for the activation', () => {
      template.hasResourceProperties('AWS::ACMPCA::Permission', {
        Principal: 'acm.amazonaws.com',
        Actions: ['IssueCertificate', 'GetCertificate', 'ListPermissions'],
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
      const [activation] = Object.keys(template.findResources('AWS::ACMPCA::CertificateAuthorityActivation'));
      template.hasResource('AWS::CertificateManager::Certificate', { DependsOn: Match.arrayWith([activation]) });
    });
  });

  test('EC_prime256v1 applies to the certificate and to a created CA', () => {
    const template = plain({ source: PRIVATE_CREATED, keyAlgorithm: 'EC_prime256v1' });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { KeyAlgorithm: 'EC_prime256v1' });
    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', { KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA' });
  });

  describe('expiry monitoring', () => {
    test('an AWS Config rule flags the certificate 45 days before expiry', () => {
      plain({ source: { kind: 'imported', certificateArn: CERT_ARN } }).hasResourceProperties('AWS::Config::ConfigRule', {
        Source: { Owner: 'AWS', SourceIdentifier: 'ACM_CERTIFICATE_EXPIRATION_CHECK' },
        InputParameters: { daysToExpiration: 45 },
        Scope: { ComplianceResourceTypes: ['AWS::ACM::Certificate'], ComplianceResourceId: CERT_ARN },
      });
    });

    test('approaching-expiration events of this certificate go to the given target', () => {
      plain({ source: PUBLIC, expiryTarget: FINDINGS }).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['aws.acm'], 'detail-type': ['ACM Certificate Approaching Expiration'], resources: [{ Ref: Match.anyValue() }] },
        Targets: [Match.objectLike({ Arn: 'arn:aws:sns:eu-west-1:111111111111:findings' })],
      });
    });

    test('the Config rule can be left out where no configuration recorder runs yet', () => {
      plain({ source: PUBLIC, expiryConfigRule: false }).resourceCountIs('AWS::Config::ConfigRule', 0);
    });
  });

  test.each([
    ['public without a hosted zone id', { source: { ...PUBLIC, hostedZoneId: '' } }, /source\.hostedZoneId is required when source\.kind is 'public'/],
    ['public without a domain name', { source: { ...PUBLIC, domainName: undefined } }, /source\.domainName is required/],
    ['imported with an IAM certificate ARN', { source: { kind: 'imported', certificateArn: 'arn:aws:iam::111111111111:server-certificate/x' } }, /source\.certificateArn must be an ACM certificate ARN/],
    ['private with neither CA input', { source: { kind: 'private', domainName: 'a.internal' } }, /exactly one of source\.certificateAuthorityArn .* and source\.createCertificateAuthority/],
    ['private with both CA inputs', { source: { ...PRIVATE_EXISTING, createCertificateAuthority: { commonName: 'x' } } }, /exactly one of source\.certificateAuthorityArn/],
    ['private with a malformed CA ARN', { source: { ...PRIVATE_EXISTING, certificateAuthorityArn: 'my-ca' } }, /source\.certificateAuthorityArn must be an AWS Private CA ARN/],
    ['a created CA valid for 1 year', { source: { ...PRIVATE_CREATED, createCertificateAuthority: { commonName: 'x', validityYears: 1 } } }, /validityYears must be a whole number of at least 2/],
    ['an unknown kind', { source: { kind: 'iam' } }, /source\.kind must be 'public', 'imported' or 'private'/],
    ['an expiry window of 0 days', { source: PUBLIC, daysToExpiration: 0 }, /daysToExpiration must be a whole number of days from 1 to 365/],
  ])('refuses %s', (_name, props, message) => {
    expect(() => plain(props as unknown as ServerCertificateProps)).toThrow(message);
  });
});
