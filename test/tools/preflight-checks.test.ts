import { ACMClient } from '@aws-sdk/client-acm';
import { AllocateAddressCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateDetectorCommand, type DetectorFeature, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { GUARDDUTY_FEATURES } from '../../src/constructs/detection/threat-detection';
import { DescribeCustomKeyStoresCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { resolveEnvironments, validateConfig, type Config } from '../../src/config';
import { bootstrap } from '../../tools/preflight/bootstrap';
import { certificate } from '../../tools/preflight/certificate';
import { elasticIps } from '../../tools/preflight/elastic-ips';
import { guardDutyDetector } from '../../tools/preflight/guardduty-detector';
import { hostedZone } from '../../tools/preflight/hosted-zone';
import { keys } from '../../tools/preflight/keys';
import type { EnvironmentPlan } from '../../tools/preflight/plan';
import { bootstrapQualifier } from '../../tools/preflight/qualifier';
import { naclRules } from '../../tools/preflight/nacl-rules';
import { preflight, runChecks } from '../../tools/preflight/run';
import { secrets } from '../../tools/preflight/secrets';
import { sessionPreferences } from '../../tools/preflight/session-preferences';
import type { CheckContext } from '../../tools/preflight/types';
import { exampleConfig } from '../helpers/app';
import { MOTO_ACCOUNT, resetMoto, type Moto } from '../helpers/moto';
import { bootstrapInMoto, clientsFor, createKey, createSecret, importCertificate, writeConfig } from './preflight-fixtures';

const REGION = 'eu-west-1';
const PLAN: EnvironmentPlan = {
  requiredBootstrapVersion: 21,
  resourceCounts: { 'AWS::GuardDuty::Detector': 1, 'AWS::SSM::Document': 1, 'AWS::EC2::EIP': 3 },
  reservedConcurrency: 6,
  maxNaclRulesPerDirection: 24,
  interfaceEndpoints: 9,
};

/** The dev example in moto's account, changed by `change`, as a check context with clients pointed at moto. */
function context(server: Moto, change: (c: Record<string, any>) => void = () => {}, plan: Partial<EnvironmentPlan> = {}, unserved: Parameters<typeof clientsFor>[1] = {}): CheckContext { // eslint-disable-line @typescript-eslint/no-explicit-any
  const raw = exampleConfig('dev') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  raw.environments = [{ name: 'dev', account: MOTO_ACCOUNT, region: REGION, profile: 'development' }];
  // The loader refuses an imported certificate of another account or Region: the example's moves with the environment.
  raw.application.certificate = { kind: 'imported', certificateArn: `arn:aws:acm:${REGION}:${MOTO_ACCOUNT}:certificate/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d` };
  raw.keys = { mode: 'local' };
  change(raw);
  const config: Config = validateConfig(raw);
  return { config, settings: resolveEnvironments(config)[0]!, plan: { ...PLAN, ...plan }, clients: clientsFor(server, unserved)({ region: REGION }), qualifier: bootstrapQualifier(config), now: new Date() };
}

let server: Moto;
beforeAll(async () => {
  server = await resetMoto();
});

describe('cdk-bootstrap', () => {
  test('not bootstrapped: the bootstrap command with the qualifier', async () => {
    const [result] = await bootstrap(context(server));
    expect(result).toMatchObject({ status: 'FAIL', detail: 'no CDKToolkit stack in eu-west-1', remedy: 'run npx cdk bootstrap aws://123456789012/eu-west-1 --qualifier hnb659fds' });
  });

  test('bootstrapped at an older version than the templates require', async () => {
    await bootstrapInMoto(server, REGION, 14);
    const [result] = await bootstrap(context(server));
    expect(result).toMatchObject({ status: 'FAIL', detail: 'bootstrap version 14 (/cdk-bootstrap/hnb659fds/version); the templates require 21 or later' });
  });

  test('the qualifier comes from deployment.qualifier when the config has one', () => {
    const ctx = context(server);
    expect(bootstrapQualifier({ ...ctx.config, deployment: { qualifier: 'custom123' } } as Config)).toBe('custom123');
    expect(bootstrapQualifier(ctx.config)).toBe('hnb659fds');
  });
});

describe('adopted singletons', () => {
  test('a detector adopted by an id the account does not have names the right one', async () => {
    const id = (await new GuardDutyClient(server.clientConfig(REGION)).send(new CreateDetectorCommand({ Enable: true }))).DetectorId!;
    const ctx = context(server, (c) => (c.existingResources = { guardDutyDetector: { adopt: '0'.repeat(32) } }), { resourceCounts: {} });
    expect(await guardDutyDetector(ctx)).toEqual([
      { status: 'FAIL', check: 'guardduty-detector', detail: `the config adopts detector ${'0'.repeat(32)}, but the account's detector is ${id}`, remedy: `set existingResources.guardDutyDetector: { adopt: ${id} }` },
    ]);
    const right = context(server, (c) => (c.existingResources = { guardDutyDetector: { adopt: id } }), { resourceCounts: {} });
    const [verdict, plans] = await guardDutyDetector(right);
    expect(verdict).toEqual({ status: 'PASS', check: 'guardduty-detector', detail: `adopted: detector ${id}` });
    // Created without features: every protection plan the stacks would enable is missing.
    expect(plans).toMatchObject({ status: 'WARN', detail: `adopted detector ${id} lacks: S3_DATA_EVENTS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, EKS_AUDIT_LOGS, RUNTIME_MONITORING, LAMBDA_NETWORK_LOGS` });
  });

  test('an adopted detector with every protection plan the stacks would enable: no warning', async () => {
    const features = GUARDDUTY_FEATURES.map((f) => ({ Name: f.name as DetectorFeature, Status: 'ENABLED' as const }));
    const id = (await new GuardDutyClient(server.clientConfig('eu-central-1')).send(new CreateDetectorCommand({ Enable: true, Features: features }))).DetectorId!;
    const ctx = context(server, (c) => {
      c.environments[0].region = 'eu-central-1';
      c.application.certificate.certificateArn = c.application.certificate.certificateArn.replace('eu-west-1', 'eu-central-1');
      c.existingResources = { guardDutyDetector: { adopt: id } };
    }, { resourceCounts: {} });
    expect(await guardDutyDetector({ ...ctx, clients: clientsFor(server)({ region: 'eu-central-1' }) })).toEqual([{ status: 'PASS', check: 'guardduty-detector', detail: `adopted: detector ${id}` }]);
  });

  test('adopting what the account does not have fails, naming the switch to set back', async () => {
    const ctx = context(server, (c) => (c.existingResources = { sessionManagerPreferences: 'adopt' }), { resourceCounts: {} });
    expect(await sessionPreferences(ctx)).toEqual([
      { status: 'FAIL', check: 'session-preferences', detail: 'the config adopts the SSM-SessionManagerRunShell document, but the account has none', remedy: 'set existingResources.sessionManagerPreferences: create' },
    ]);
  });

  test('adopted preferences that leave sessions unencrypted and unlogged are reported', async () => {
    await new SSMClient(server.clientConfig(REGION)).send(
      new CreateDocumentCommand({ Name: 'SSM-SessionManagerRunShell', DocumentType: 'Session', Content: JSON.stringify({ schemaVersion: '1.0', sessionType: 'Standard_Stream', inputs: { idleSessionTimeout: '20' } }) }),
    );
    const [result] = await sessionPreferences(context(server, (c) => (c.existingResources = { sessionManagerPreferences: 'adopt' }), { resourceCounts: {} }));
    expect(result).toMatchObject({ status: 'WARN', detail: expect.stringContaining('lacks: KMS encryption of session data (kmsKeyId), a non-root run-as user (runAsEnabled), session logging') });
  });

  test('with several environments the remedy names the environment', async () => {
    const ctx = context(server, (c) => {
      c.environments.push({ name: 'test', account: '333333333333', region: REGION, profile: 'development', cidr: '10.30.0.0/16' });
      // One imported certificate cannot serve two accounts; a DNS-validated one is requested in each.
      c.application.certificate = { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };
    });
    const [result] = await guardDutyDetector(ctx);
    expect(result!.remedy).toMatch(/^set existingResources\.byEnvironment\.dev\.guardDutyDetector: \{ adopt: [0-9a-f]{32} \}$/);
  });
});

describe('certificate', () => {
  test('in another Region: refused by the loader, and by the check before any call', async () => {
    const arn = `arn:aws:acm:us-east-1:${MOTO_ACCOUNT}:certificate/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d`;
    expect(() => context(server, (c) => (c.application.certificate = { kind: 'imported', certificateArn: arn }))).toThrow(
      'application.certificate.certificateArn: the imported certificate is in region us-east-1, but environment "dev" deploys to eu-west-1, account 123456789012',
    );
    // The check keeps its own guard for a config that did not come through the loader.
    const ctx = context(server);
    const acm = new ACMClient({ region: REGION });
    const mock = mockClient(acm);
    const config = { ...ctx.config, application: { ...ctx.config.application, certificate: { kind: 'imported' as const, certificateArn: arn } } };
    const [result] = await certificate({ ...ctx, config, clients: { ...ctx.clients, acm } });
    expect(result).toMatchObject({ status: 'FAIL', detail: `${arn} is in 123456789012 us-east-1; the load balancer needs one in 123456789012 eu-west-1` });
    expect(mock.calls()).toHaveLength(0);
  });

  test('expiring within 30 days: a warning to re-import', async () => {
    const arn = await importCertificate(server, REGION, 10);
    const [result] = await certificate(context(server, (c) => (c.application.certificate = { kind: 'imported', certificateArn: arn })));
    expect(result).toMatchObject({ status: 'WARN', detail: expect.stringMatching(/expires in (9|10) days$/) });
  });
});

describe('hosted zone (moto Route 53)', () => {
  let zoneId: string;
  beforeAll(async () => {
    const zone = await new Route53Client(server.clientConfig()).send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'preflight-test' }));
    zoneId = zone.HostedZone!.Id!.replace('/hostedzone/', '');
  });
  /**
   * A public certificate in zone `id`. moto's zone ids lack the leading Z of AWS's, which the config
   * refuses, so the context is built with a valid id and given moto's afterwards.
   */
  const withZone = (id: string, name: string, domainName = 'app.example.com'): CheckContext => {
    const ctx = context(server, (c) => (c.application.certificate = { kind: 'public', domainName, hostedZoneId: 'Z0000000000000000000', hostedZoneName: name }));
    const application = { ...ctx.config.application, certificate: { kind: 'public' as const, domainName, hostedZoneId: id, hostedZoneName: name } };
    return { ...ctx, config: { ...ctx.config, application } };
  };

  test('the zone holds the domain', async () => {
    expect(await hostedZone(withZone(zoneId, 'example.com'))).toEqual([{ status: 'PASS', check: 'hosted-zone', detail: `example.com (${zoneId}) holds app.example.com` }]);
  });

  test('a zone id whose name differs from the config', async () => {
    const [result] = await hostedZone(withZone(zoneId, 'example.org', 'app.example.org'));
    expect(result).toMatchObject({ status: 'FAIL', detail: `hosted zone ${zoneId} is example.com, the config says example.org` });
  });

  test('a zone that does not exist', async () => {
    const [result] = await hostedZone(withZone('Z0000000000000000000', 'example.com'));
    expect(result).toMatchObject({ status: 'FAIL', detail: 'hosted zone Z0000000000000000000 does not exist in this account' });
  });
});

describe('secrets with local keys', () => {
  test('before the first deployment the secrets key does not exist yet: a warning with the command to run afterwards', async () => {
    const arn = await createSecret(server, REGION, 'sra-app/webhook-local');
    const [result] = await secrets(context(server, (c) => (c.detection = { webhook: { secretArn: arn }, alternateContacts: c.detection.alternateContacts })));
    expect(result).toMatchObject({ status: 'FAIL', detail: "detection.webhook.secretArn is encrypted with the AWS managed key, which the stacks' grants do not cover" });
    const other = await createSecret(server, REGION, 'sra-app/webhook-other-key', await createKey(server, REGION));
    const [warned] = await secrets(context(server, (c) => (c.detection = { webhook: { secretArn: other }, alternateContacts: c.detection.alternateContacts })));
    expect(warned).toMatchObject({ status: 'WARN', remedy: `after the first deployment: aws secretsmanager update-secret --secret-id ${other} --kms-key-id alias/sra-app/dev/secrets` });
  });
});

describe('HSM-backed key (injected KMS client: moto serves no custom key stores)', () => {
  const keyArn = `arn:aws:kms:${REGION}:${MOTO_ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
  test.each([
    ['CONNECTED', 'PASS'],
    ['DISCONNECTED', 'FAIL'],
  ])('custom key store %s → %s', async (state, status) => {
    const ctx = context(server, (c) => (c.keys = { mode: 'local', hsmBackedKeyArns: { data: keyArn } }));
    const kms = new KMSClient({ region: REGION });
    const mock = mockClient(kms);
    mock.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: keyArn, KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', CustomKeyStoreId: 'cks-1234567890abcdef0' } });
    mock.on(DescribeCustomKeyStoresCommand, { CustomKeyStoreId: 'cks-1234567890abcdef0' }).resolves({ CustomKeyStores: [{ CustomKeyStoreId: 'cks-1234567890abcdef0', ConnectionState: state as 'CONNECTED' }] });
    const [result] = await keys({ ...ctx, clients: { ...ctx.clients, kms } });
    expect(result!.status).toBe(status);
    if (status === 'FAIL') expect(result!.remedy).toBe('aws kms connect-custom-key-store --custom-key-store-id cks-1234567890abcdef0 (npm run cloudhsm-runbook)');
  });
});

describe('quotas', () => {
  test('Elastic IPs: the NAT gateways plus the addresses in use exceed the applied quota', async () => {
    await new EC2Client(server.clientConfig(REGION)).send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const [result] = await elasticIps(context(server, undefined, {}, { appliedQuotas: { 'L-0263D0A3': 3 } }));
    expect(result).toMatchObject({ status: 'FAIL', detail: '3 Elastic IP(s) for NAT gateways + 1 allocated; quota 3 (applied)' });
  });

  test('network ACL rules beyond the default quota of 20', async () => {
    const [result] = await naclRules(context(server));
    expect(result).toMatchObject({ status: 'FAIL', detail: 'largest network ACL needs 24 rules in one direction; quota 20 (default)' });
  });
});

describe('the command', () => {
  test('credentials of another account stop the checks after the identity line', async () => {
    const ctx = context(server, (c) => {
      c.environments[0].account = '111111111111';
      c.application.certificate.certificateArn = c.application.certificate.certificateArn.replace(MOTO_ACCOUNT, '111111111111');
    });
    const results = await runChecks(ctx);
    expect(results).toEqual([expect.objectContaining({ status: 'FAIL', check: 'identity', detail: expect.stringContaining('credentials are for account 123456789012') })]);
  });

  test.each([
    [[], 'name one config file'],
    [['a.yaml', '--region', 'x'], 'unknown option --region'],
    [['a.yaml', '--environment'], '--environment needs a value'],
  ])('bad arguments %j: exit 2 with usage', async (argv, message) => {
    const lines: string[] = [];
    expect(await preflight(argv, { print: (l) => lines.push(l) })).toBe(2);
    expect(lines.join('\n')).toContain(message);
    expect(lines.join('\n')).toContain('usage: npm run preflight -- <config.yaml>');
  });

  test('an environment the config does not have', async () => {
    const config = writeConfig(() => {});
    const lines: string[] = [];
    expect(await preflight([config.path, '--environment', 'prod'], { print: (l) => lines.push(l), plans: {} })).toBe(2);
    expect(lines.join('\n')).toMatch(/environment "prod" is not in .*; environments: dev/);
    config.cleanup();
  });
});
