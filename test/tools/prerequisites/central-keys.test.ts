import { resolveEnvironments } from '../../../src/config';
import { GRANT_OPERATIONS } from '../../../src/constructs/keys/auto-scaling-key-grant';
import { centralKeyPrerequisites, type KeyPolicyStatement, type KeyPrerequisites } from '../../../tools/prerequisites/central-keys';
import { formatPrerequisites } from '../../../tools/prerequisites/format';
import { resolveResource, stageStacks, type StackTemplate } from '../../../tools/prerequisites/templates';
import { configFrom, synthesizeExample } from '../../helpers/app';
import { run } from '../../helpers/run';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const { built } = synthesizeExample('prod');
const stacks = stageStacks(built.app.synth(), built.stages[0]!.artifactId);
const settings = resolveEnvironments(configFrom('prod'))[0]!;
const result = centralKeyPrerequisites(settings, stacks);
const key = (purpose: string) => result.keys.find((k) => k.purpose === purpose)!;
const statement = (k: KeyPrerequisites, suffix: string) => k.statements.find((s) => s.Sid.endsWith(suffix));
/** IAM's ArnLike: `*` matches any run of characters. */
const arnLike = (pattern: string, arn: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&')).join('.*')}$`).test(arn);
const resources = (type: string) =>
  stacks.flatMap((stack) => Object.entries(stack.template.Resources).filter(([, r]) => r.Type === type).map(([id, r]) => ({ stack, id, p: (r.Properties ?? {}) as Json })));
const keyOf = (value: unknown) => result.keys.find((k) => JSON.stringify(value ?? '').includes(k.keyArn));

describe('central-key prerequisites of the prod example', () => {
  test('one entry per central key, each naming its key', () => {
    expect(result.keys.map((k) => k.purpose)).toEqual(['data', 'logs', 'secrets', 'backup', 'operations']);
    expect(key('data').keyArn).toBe(settings.keys.centralKeyArns!.data);
  });

  test('every encrypted CloudWatch Logs group is admitted to its key by the logs statement, scoped by aws:logs:arn', () => {
    const groups = resources('AWS::Logs::LogGroup').filter((g) => g.p.KmsKeyId);
    expect(groups.length).toBeGreaterThan(5);
    for (const group of groups) {
      const k = keyOf(group.p.KmsKeyId)!;
      const logs = statement(k, 'CloudWatchLogs')!;
      expect(logs.Principal).toEqual({ Service: `logs.${REGION}.amazonaws.com` });
      // The name CloudFormation gives a group without one: <stack name>-<logical id>-<suffix>.
      const name = typeof group.p.LogGroupName === 'string' ? group.p.LogGroupName : `${group.stack.stackName}-${group.id}-AbC123`;
      const arn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
      const patterns = logs.Condition.ArnLike!['kms:EncryptionContext:aws:logs:arn'] as string[];
      expect({ group: group.id, covered: patterns.some((p) => arnLike(p, arn)) }).toEqual({ group: group.id, covered: true });
      for (const p of patterns) expect(p.startsWith(`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:`)).toBe(true);
    }
  });

  test('the log bucket\'s key admits log delivery for the flow logs and WAF logs, from this account only', () => {
    const delivery = statement(key('logs'), 'LogDelivery')!;
    expect(delivery.Principal).toEqual({ Service: 'delivery.logs.amazonaws.com' });
    expect(delivery.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    expect(delivery.Condition.ArnLike).toEqual({ 'aws:SourceArn': `arn:aws:logs:${REGION}:${ACCOUNT}:*` });
    expect(key('logs').usedBy.map((u) => u.type)).toEqual(expect.arrayContaining(['AWS::EC2::FlowLog', 'AWS::WAFv2::LoggingConfiguration']));
  });

  test('each key EventBridge delivers into admits it: the operations key for the findings topic and its dead-letter queue, the logs key for the incident triggers\' queue', () => {
    const rules = resources('AWS::Events::Rule');
    expect(rules.length).toBeGreaterThan(0);
    /** The central keys of the topics and queues a rule delivers into (its targets and their dead-letter queues). */
    const keysOf = (rule: (typeof rules)[number]) =>
      new Set(
        (rule.p.Targets as Json[])
          .flatMap((t) => [t.Arn, t.DeadLetterConfig?.Arn])
          .map((arn) => resolveResource(arn, rule.stack, stacks))
          .map((at) => at && at.stack.template.Resources[at.logicalId])
          .filter((r) => r?.Type === 'AWS::SNS::Topic' || r?.Type === 'AWS::SQS::Queue')
          .map((r) => keyOf(r!.Properties?.KmsMasterKeyId)?.purpose)
          .filter((purpose): purpose is KeyPrerequisites['purpose'] => purpose !== undefined),
      );
    const expected = (purpose: string) => rules.filter((r) => keysOf(r).has(purpose as KeyPrerequisites['purpose'])).map((r) => r.id).sort();
    // Findings and alarms go to the operations key's topic; the incident triggers' dead letters to the logs key (central mode: evidence is under it).
    expect(expected('operations').length).toBeGreaterThan(5);
    expect(expected('logs')).toEqual(expect.arrayContaining([expect.stringMatching(/^WorkflowsTriggersGuardDutyFindings/), expect.stringMatching(/^WorkflowsTriggersSecurityHubIsolateAction/)]));
    // Every rule delivers into something encrypted with a central key.
    for (const rule of rules) expect({ rule: rule.id, keys: keysOf(rule).size > 0 }).toEqual({ rule: rule.id, keys: true });
    for (const purpose of ['operations', 'logs']) {
      const events = statement(key(purpose), 'EventBridgeDelivery')!;
      expect(events.Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(events.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
      expect(events.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      const listed = key(purpose).usedBy.filter((u) => u.type === 'AWS::Events::Rule').map((u) => u.logicalId);
      expect({ purpose, listed: listed.sort() }).toEqual({ purpose, listed: expected(purpose) });
    }
  });

  test.each([
    ['AWS::RDS::DBCluster', 'KmsKeyId', 'rds', true],
    ['AWS::EC2::LaunchTemplate', 'LaunchTemplateData', 'ec2', true],
    ['AWS::S3::Bucket', 'BucketEncryption', 's3', false],
    ['AWS::SecretsManager::Secret', 'KmsKeyId', 'secretsmanager', false],
    ['AWS::Backup::BackupVault', 'EncryptionKeyArn', 'backup', true],
    ['AWS::SNS::Topic', 'KmsMasterKeyId', 'sns', false],
    ['AWS::SQS::Queue', 'KmsMasterKeyId', 'sqs', false],
    ['AWS::Lambda::Function', 'KmsKeyArn', 'lambda', true],
    ['AWS::DynamoDB::Table', 'SSESpecification', 'dynamodb', true],
  ])('every %s is covered: its key admits this account via %s', (type, property, service, grants) => {
    const found = resources(type).filter((r) => keyOf(r.p[property]));
    expect(found.length).toBeGreaterThan(0);
    for (const r of found) {
      const k = keyOf(r.p[property])!;
      const via = statement(k, 'UseViaServices')!;
      expect(via.Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
      expect(via.Condition.StringEquals!['kms:ViaService']).toContain(`${service}.${REGION}.amazonaws.com`);
      expect(via.Condition.StringEquals!['kms:CallerAccount']).toBe(ACCOUNT);
      const grant = statement(k, 'GrantsForAwsResources');
      if (grants) {
        expect(grant!.Condition.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
        expect(grant!.Condition.StringEquals!['kms:ViaService']).toContain(`${service}.${REGION}.amazonaws.com`);
      }
    }
  });

  test('the uses the Response and Data stacks add are listed under their central keys', () => {
    const uses = (purpose: string, stack: string) => key(purpose).usedBy.filter((u) => u.stack === stack).map((u) => `${u.type} ${u.logicalId}`);
    // Central mode: the evidence bucket, the incident workflows' logs and their function use the security account's logs key.
    expect(uses('logs', 'Response')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AWS::S3::Bucket EvidenceBucket/),
        expect.stringMatching(/^AWS::Logs::LogGroup WorkflowsIsolationLogs/),
        expect.stringMatching(/^AWS::Logs::LogGroup WorkflowsReleaseLogs/),
        expect.stringMatching(/^AWS::Lambda::Function WorkflowsStepsFunction/),
      ]),
    );
    // The token vault is under the data key, the service secret under the secrets key.
    expect(uses('data', 'Data')).toEqual(expect.arrayContaining([expect.stringMatching(/^AWS::DynamoDB::Table TokenVaultTable/)]));
    expect(uses('secrets', 'Data')).toEqual(expect.arrayContaining([expect.stringMatching(/^AWS::SecretsManager::Secret ServiceSecret/)]));
  });

  test('the data key lets this account create exactly the Auto Scaling grant, and the grant is listed', () => {
    const create = statement(key('data'), 'AutoScalingGrantFromThisAccount')!;
    const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_sra-app-prod`;
    expect(create.Action).toEqual(['kms:CreateGrant']);
    expect(create.Condition.StringEquals).toEqual({ 'kms:GranteePrincipal': slr, 'kms:CallerAccount': ACCOUNT });
    expect(create.Condition['ForAllValues:StringEquals']).toEqual({ 'kms:GrantOperations': [...GRANT_OPERATIONS] });
    expect(result.grants).toEqual([
      expect.objectContaining({ purpose: 'data', keyArn: key('data').keyArn, grantee: slr, name: 'sra-app-prod-auto-scaling-volumes', stack: 'Application' }),
    ]);
  });

  test('keys with a purpose\'s services are never opened to direct use; the operations key only for Session Manager sessions, as in local mode', () => {
    for (const purpose of ['data', 'logs', 'secrets', 'backup']) expect(statement(key(purpose), 'DirectUseWithEncryptionContext')).toBeUndefined();
    expect(key('data').roles.map((r) => r.role)).toEqual(expect.arrayContaining([expect.stringMatching(/^FleetRole/), expect.stringMatching(/^BackupRole/)]));
    expect(statement(key('operations'), 'DirectUseWithEncryptionContext')!.Condition).toEqual({
      StringEquals: { 'kms:CallerAccount': ACCOUNT },
      Null: { 'kms:EncryptionContext:aws:ssm:SessionId': 'false' },
    });
  });

  test('no statement admits anyone but this account or an AWS service acting for it', () => {
    for (const k of result.keys) {
      const sids = k.statements.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
      for (const s of k.statements) {
        expect(s.Sid).toMatch(/^SraAppProd[A-Za-z]+$/);
        if ('AWS' in s.Principal) {
          expect(s.Principal.AWS).toBe(`arn:aws:iam::${ACCOUNT}:root`);
          expect(JSON.stringify(s.Condition)).toContain('"kms:CallerAccount":"222222222222"');
        } else if (s.Principal.Service !== `logs.${REGION}.amazonaws.com`) {
          expect(s.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
        }
        expect(s.Action).not.toContain('kms:*');
      }
    }
  });

  test('the printed report names each key and carries its statements as JSON', () => {
    const text = formatPrerequisites({ config: 'config/prod.yaml', mode: 'central', environments: [result] });
    for (const k of result.keys) expect(text).toContain(`-- ${k.purpose} key ${k.keyArn}`);
    const blocks = text.split('add to the key policy in the security account:\n').slice(1);
    expect(blocks).toHaveLength(5);
    for (const block of blocks) {
      const json = block.split('\n').filter((l) => l.startsWith('   ')).join('\n');
      const parsed = JSON.parse(json.slice(0, json.lastIndexOf(']') + 1)) as KeyPolicyStatement[];
      expect(parsed.length).toBeGreaterThan(0);
    }
  });
});

describe('central-key prerequisites of synthetic templates', () => {
  const OPS_KEY = settings.keys.centralKeyArns!.operations;
  const stack = (resources: Record<string, Json>): StackTemplate => ({ id: 'Test', stackName: 'sra-app-prod-test', template: { Resources: resources as StackTemplate['template']['Resources'] } });

  test('an alarm publishing to an encrypted topic adds the CloudWatch statement', () => {
    const r = centralKeyPrerequisites(settings, [
      stack({
        Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: OPS_KEY } },
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [{ Ref: 'Topic' }] } },
      }),
    ]);
    const cw = r.keys.find((k) => k.purpose === 'operations')!.statements.find((s) => s.Sid.endsWith('CloudWatchAlarmDelivery'))!;
    expect(cw.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(cw.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:*` } });
  });

  test('an SNS subscription with an encrypted dead-letter queue adds the SNS statement', () => {
    const r = centralKeyPrerequisites(settings, [
      stack({
        Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: OPS_KEY } },
        Sub: { Type: 'AWS::SNS::Subscription', Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Queue', 'Arn'] } } } },
      }),
    ]);
    expect(r.keys.find((k) => k.purpose === 'operations')!.statements.map((s) => s.Sid)).toContain('SraAppProdSnsDelivery');
  });

  test('a resource type that names a central key but is not classified stops the command (no silent drift)', () => {
    expect(() => centralKeyPrerequisites(settings, [stack({ Stream: { Type: 'AWS::Kinesis::Stream', Properties: { StreamEncryption: { KeyId: OPS_KEY } } } })])).toThrow(
      /Test\/Stream \(AWS::Kinesis::Stream\) names the operations key.*add the type to tools\/prerequisites\/central-keys\.ts/,
    );
  });

  test('local mode has no central key statements', () => {
    const dev = resolveEnvironments(configFrom('dev'))[0]!;
    expect(centralKeyPrerequisites(dev, []).keys).toEqual([]);
  });
});

describe('npm run prerequisites', () => {
  test('a bad config stops with the one-line config error, no stack trace', () => {
    const out = run('tsx', ['tools/prerequisites.ts', 'config/does-not-exist.yaml']);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/^config\/does-not-exist\.yaml is not a valid configuration \(1 problem\):\n {2}- cannot read the file/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(out.stdout).toBe('');
  });
});
