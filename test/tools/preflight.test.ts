import { appendFileSync } from 'node:fs';
import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand } from '@aws-sdk/client-config-service';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { loadConfig } from '../../src/config';
import { planEnvironments, type EnvironmentPlan } from '../../tools/preflight/plan';
import { preflight } from '../../tools/preflight/run';
import { MOTO_ACCOUNT, resetMoto, type Moto } from '../helpers/moto';
import { bootstrapInMoto, clientsFor, createKey, createRole, createSecret, importCertificate, writeConfig } from './preflight-fixtures';

const REGION = 'eu-west-1';
const PURPOSES = ['data', 'logs', 'secrets', 'backup', 'operations'] as const;

/** The dev example in moto's account, with central keys, a key administrator and a findings webhook secret. */
function configFor(certificateArn: string, keyArns: Record<string, string>, webhookSecretArn: string, adminRoleArn: string) {
  return writeConfig((c) => {
    c.environments = [{ name: 'dev', account: MOTO_ACCOUNT, region: REGION, profile: 'development' }];
    c.application.certificate = { kind: 'imported', certificateArn };
    c.keys = { mode: 'central', centralKeyArns: keyArns, administratorRoleArns: [adminRoleArn] };
    c.detection = { ...(c.detection ?? {}), webhook: { secretArn: webhookSecretArn, format: 'json' } };
  });
}

/** Runs the preflight as `npm run preflight -- <config>` would, with clients pointed at moto; returns the exit code and output. */
async function run(server: Moto, path: string, plans: Record<string, EnvironmentPlan>, unserved: Parameters<typeof clientsFor>[1] = {}) {
  const lines: string[] = [];
  const code = await preflight([path], { clientsFor: clientsFor(server, unserved), print: (l) => lines.push(l), plans });
  const output = lines.join('\n').replace(/\/tmp\/sra-preflight-config-\w+\//g, '');
  // `PREFLIGHT_TRANSCRIPT=<file> npx jest test/tools/preflight.test.ts` keeps the reports.
  if (process.env.PREFLIGHT_TRANSCRIPT) appendFileSync(process.env.PREFLIGHT_TRANSCRIPT, `$ npm run preflight -- config.yaml\n${output}\nexit ${code}\n\n`);
  return { code, output };
}

let plans: Record<string, EnvironmentPlan>;

describe('npm run preflight against moto', () => {
  let server: Moto;

  describe('a clean, bootstrapped account', () => {
    let result: { code: number; output: string };
    beforeAll(async () => {
      server = await resetMoto();
      await bootstrapInMoto(server, REGION, 30);
      const certificateArn = await importCertificate(server, REGION);
      const keyArns = Object.fromEntries(await Promise.all(PURPOSES.map(async (p) => [p, await createKey(server, REGION)] as const)));
      const webhook = await createSecret(server, REGION, 'sra-app/webhook', keyArns.secrets);
      const admin = await createRole(server, 'sra-key-administrators');
      const config = configFor(certificateArn, keyArns, webhook, admin);
      // The templates are synthesized once, the way the preflight does it, and shared by both accounts' runs.
      plans = planEnvironments(loadConfig(config.path));
      result = await run(server, config.path, plans);
      config.cleanup();
    }, 180_000);

    test('exits 0 with nothing failing', () => {
      expect(result.output).not.toMatch(/^FAIL/m);
      expect(result.code).toBe(0);
    });

    test.each([
      ['identity', /^PASS +identity +credentials are arn:aws:sts::123456789012:user\/moto in account 123456789012$/m],
      ['bootstrap', /^PASS +cdk-bootstrap +qualifier hnb659fds, version 30 \(templates require \d+ or later\)$/m],
      ['guardduty', /^PASS +guardduty-detector +none yet; the stacks create the GuardDuty detector$/m],
      ['security hub', /^PASS +security-hub +none yet/m],
      ['config recorder', /^PASS +config-recorder +none yet/m],
      ['config channel', /^PASS +config-delivery-channel +none yet/m],
      ['config role', /^PASS +config-service-linked-role +AWSServiceRoleForConfig does not exist yet; the stacks create it$/m],
      ['analyzers', /^PASS +access-analyzer-external +none yet[\s\S]*^PASS +access-analyzer-unused +none yet/m],
      ['session preferences', /^PASS +session-preferences +none yet/m],
      ['certificate', /^PASS +certificate +app\.example\.com ISSUED, valid for 36\d more days$/m],
      ['secret', /^PASS +secret +detection\.webhook\.secretArn exists, encrypted with the secrets key$/m],
      ['keys', /^PASS +kms-key +keys\.centralKeyArns\.data enabled, SYMMETRIC_DEFAULT$/m],
      ['key administrators', /^PASS +key-administrator +arn:aws:iam::123456789012:role\/sra-key-administrators exists$/m],
      ['elastic ips', /^PASS +quota-elastic-ips +1 Elastic IP\(s\) for NAT gateways \+ 0 allocated; quota 5 \(default\)$/m],
      ['endpoints', /^PASS +quota-interface-endpoints +9 interface endpoint\(s\) \+ 1 for GuardDuty Runtime Monitoring; quota per VPC 50 \(default\)$/m],
      ['lambda', /^PASS +quota-lambda-concurrency +the stacks reserve \d+; account limit 1000/m],
      ['nacl', /^PASS +quota-nacl-rules +largest network ACL needs \d+ rules in one direction; quota 20 \(default\)$/m],
    ])('reports %s', (_name, line) => {
      expect(result.output).toMatch(line);
    });
  });

  describe('an account that already has every singleton, a missing secret and a disabled key', () => {
    let result: { code: number; output: string };
    let detectorId: string;
    beforeAll(async () => {
      server = await resetMoto();
      await bootstrapInMoto(server, REGION, 30);
      const certificateArn = await importCertificate(server, REGION);
      const keyArns: Record<string, string> = Object.fromEntries(await Promise.all(PURPOSES.map(async (p) => [p, await createKey(server, REGION)] as const)));
      // A key in another Region never reaches the preflight (the loader refuses it, below); a disabled one does.
      keyArns.data = await createKey(server, REGION);
      // moto's DisableKey takes the key id only (AWS also takes the ARN).
      await new KMSClient(server.clientConfig(REGION)).send(new DisableKeyCommand({ KeyId: keyArns.data.split('/').pop() }));
      const admin = await createRole(server, 'sra-key-administrators');
      const missingSecret = `arn:aws:secretsmanager:${REGION}:${MOTO_ACCOUNT}:secret:sra-app/webhook-AbCdEf`;

      detectorId = (await new GuardDutyClient(server.clientConfig(REGION)).send(new CreateDetectorCommand({ Enable: true }))).DetectorId!;
      await new SecurityHubClient(server.clientConfig(REGION)).send(new EnableSecurityHubCommand({}));
      // moto's CreateServiceLinkedRole names this role AWSServiceRoleForconfig; AWS's name and path are these.
      await createRole(server, 'AWSServiceRoleForConfig', '/aws-service-role/config.amazonaws.com/');
      const configService = new ConfigServiceClient(server.clientConfig(REGION));
      await configService.send(
        new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${MOTO_ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig` } }),
      );
      await new S3Client(server.clientConfig(REGION)).send(new CreateBucketCommand({ Bucket: 'config-bucket-123456789012', CreateBucketConfiguration: { LocationConstraint: REGION } }));
      await configService.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-bucket-123456789012' } }));
      await new SSMClient(server.clientConfig(REGION)).send(
        new CreateDocumentCommand({ Name: 'SSM-SessionManagerRunShell', DocumentType: 'Session', Content: JSON.stringify({ schemaVersion: '1.0', description: 'console preferences', sessionType: 'Standard_Stream', inputs: {} }) }),
      );

      const config = configFor(certificateArn, keyArns, missingSecret, admin);
      // A new account: Lambda concurrency 10, and the only analyzer of type ACCOUNT is the console's.
      // The console enables FSBP with the hub.
      result = await run(server, config.path, plans, {
        analyzers: { ACCOUNT: ['ConsoleAnalyzer-1234'] },
        lambdaLimit: 10,
        enabledStandards: ['arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0'],
      });
      config.cleanup();
    }, 60_000);

    test('exits 1', () => {
      expect(result.code).toBe(1);
    });

    test.each([
      ['guardduty', /^FAIL +guardduty-detector +the account already has the GuardDuty detector \(detector (\w+)\); creating it would fail\n +→ set existingResources\.guardDutyDetector: \{ adopt: \1 \}$/m],
      ['security hub', /^FAIL +security-hub +the account already has the Security Hub subscription \(subscribed, arn:aws:securityhub:eu-west-1:123456789012:hub\/default\); creating it would fail\n +→ set existingResources\.securityHub: adopt$/m],
      ['security hub standards', /^FAIL +security-hub-standards +already enabled: aws-foundational-security-best-practices; subscribing again would fail\n +→ set existingResources\.enabledSecurityHubStandards: \[aws-foundational-security-best-practices\] \(with securityHub: adopt\)$/m],
      ['config recorder', /^FAIL +config-recorder +the account already has the AWS Config recorder \(recorder default\); creating it would fail\n +→ set existingResources\.configRecorder: adopt$/m],
      ['config channel', /^FAIL +config-delivery-channel +the account already has the AWS Config delivery channel \(channel default to s3:\/\/config-bucket-123456789012\); creating it would fail\n +→ set existingResources\.configDeliveryChannel: adopt$/m],
      ['config role', /^FAIL +config-service-linked-role +AWSServiceRoleForConfig already exists; creating it would fail\n +→ set detection\.createConfigServiceLinkedRole: false$/m],
      ['external analyzer', /^FAIL +access-analyzer-external +the account already has the account external-access analyzer \(type ACCOUNT\) \(analyzer ConsoleAnalyzer-1234 \(ACTIVE\)\); creating it would fail\n +→ set existingResources\.externalAccessAnalyzer: adopt$/m],
      ['unused analyzer (absent, so created)', /^PASS +access-analyzer-unused +none yet/m],
      ['session preferences', /^FAIL +session-preferences +the account already has the SSM-SessionManagerRunShell document \(document SSM-SessionManagerRunShell\); creating it would fail\n +→ set existingResources\.sessionManagerPreferences: adopt$/m],
      ['missing secret', /^FAIL +secret +detection\.webhook\.secretArn arn:aws:secretsmanager:eu-west-1:123456789012:secret:sra-app\/webhook-AbCdEf does not exist\n +→ create it in Secrets Manager in eu-west-1/m],
      ['disabled key', /^FAIL +kms-key +keys\.centralKeyArns\.data arn:aws:kms:eu-west-1:123456789012:key\/[0-9a-f-]+: state Disabled; needs an enabled SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key\n +→ enable the key or set keys\.centralKeyArns\.data to one that is$/m],
      ['the other keys', /^PASS +kms-key +keys\.centralKeyArns\.logs enabled, SYMMETRIC_DEFAULT$/m],
      ['lambda concurrency', /^FAIL +quota-lambda-concurrency +the stacks reserve \d+; account limit 10, 10 unreserved .*\n +→ request a concurrent executions quota of at least \d+/m],
      ['bootstrap still fine', /^PASS +cdk-bootstrap/m],
    ])('reports %s', (_name, line) => {
      expect(result.output).toMatch(line);
    });

    test('the detector id in the remedy is the one the account has', () => {
      expect(result.output).toContain(`{ adopt: ${detectorId} }`);
    });
  });

  test('a central key in another Region: the loader refuses the config in one line and no check runs (exit 2)', async () => {
    const keyArns: Record<string, string> = Object.fromEntries(PURPOSES.map((p, i) => [p, `arn:aws:kms:${REGION}:${MOTO_ACCOUNT}:key/0000000${i}-1111-2222-3333-444444444444`]));
    keyArns.data = `arn:aws:kms:us-east-1:${MOTO_ACCOUNT}:key/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d`;
    const config = configFor(
      `arn:aws:acm:${REGION}:${MOTO_ACCOUNT}:certificate/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d`,
      keyArns,
      `arn:aws:secretsmanager:${REGION}:${MOTO_ACCOUNT}:secret:sra-app/webhook-AbCdEf`,
      `arn:aws:iam::${MOTO_ACCOUNT}:role/sra-key-administrators`,
    );
    const refused = await run(server, config.path, plans);
    config.cleanup();
    expect(refused.code).toBe(2);
    expect(refused.output).toBe(
      'config.yaml is not a valid configuration (1 problem):\n' +
        '  - keys.centralKeyArns.data: the central data key is in region us-east-1, but environment "dev" deploys to eu-west-1; KMS keys are regional; services encrypt only with keys in their own region',
    );
  });
});
