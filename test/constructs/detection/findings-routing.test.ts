import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AuditTrail } from '../../../src/constructs/detection/audit-trail';
import * as patterns from '../../../src/constructs/detection/finding-patterns';
import { FindingsRouting, type FindingsRoutingProps } from '../../../src/constructs/detection/findings-routing';
import { TRAIL_ALARMS } from '../../../src/constructs/detection/trail-alarm-catalog';
import { buildChecked, type Fixture } from '../../helpers/nag';
import { actionsOf, localLogArchive, statement, statementsOf, withProjectFlags } from './fixtures';

const CENTRAL_BUS = 'arn:aws:events:eu-west-1:222222222222:event-bus/security';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:sra/webhook-AbCdEf';

interface Variant {
  readonly centralBus: boolean;
  readonly webhook: boolean;
}

/** FindingsRouting with an audit trail whose alarms it forwards, as the Security stack wires them. */
function build({ centralBus, webhook }: Variant) {
  return buildChecked((fixture: Fixture) => {
    const { stack } = fixture;
    const { key, archive } = localLogArchive(stack);
    const webhookProps: FindingsRoutingProps['webhook'] = webhook
      ? {
          secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'WebhookSecret', SECRET),
          secretKey: kms.Key.fromKeyArn(stack, 'SecretsKey', 'arn:aws:kms:eu-west-1:111111111111:key/secrets'),
          format: 'slack',
          vpc: fixture.vpc,
          subnets: { subnetGroupName: 'App' },
          key,
          logsKey: key,
          logRetentionDays: 90,
        }
      : undefined;
    const routing = new FindingsRouting(stack, 'Routing', {
      key,
      emails: ['security@example.com'],
      centralEventBusArn: centralBus ? CENTRAL_BUS : undefined,
      webhook: webhookProps,
    });
    const trail = new AuditTrail(stack, 'Audit', { bucket: archive.logBucket, key, logRetentionDays: 365, alarmTopic: routing.topic });
    routing.forwardAlarms(Object.values(trail.alarms));
  });
}

const variants: [string, Variant][] = [
  ['topic only', { centralBus: false, webhook: false }],
  ['topic and central bus', { centralBus: true, webhook: false }],
  ['topic and webhook', { centralBus: false, webhook: true }],
  ['topic, central bus and webhook', { centralBus: true, webhook: true }],
];
const built = new Map(variants.map(([name, variant]) => [name, build(variant)]));

type Target = { Arn: unknown; Id: string; DeadLetterConfig?: { Arn: unknown }; RetryPolicy?: unknown; RoleArn?: unknown };

function rules(template: Template): { id: string; pattern: Record<string, unknown>; targets: Target[] }[] {
  return Object.entries(template.findResources('AWS::Events::Rule')).map(([id, r]) => ({ id, pattern: r.Properties.EventPattern, targets: r.Properties.Targets }));
}

describe.each(variants)('FindingsRouting: %s', (name, variant) => {
  const { template, findings } = built.get(name)!;
  const expectedTargets = 1 + Number(variant.centralBus) + Number(variant.webhook);

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test.each([
    ['GuardDuty', patterns.guardDutyFindings(7)],
    ['Security Hub', patterns.securityHubFindings()],
    ['Inspector', patterns.inspectorFindings()],
    ['Access Analyzer', patterns.accessAnalyzerFindings()],
    ['Config non-compliance', patterns.configNonCompliance()],
    ['ACM expiry', patterns.certificateExpiry()],
    ['Secrets Manager rotation failure', patterns.secretRotationFailures()],
    ['root activity', patterns.rootActivity()],
    ['key and secret changes', patterns.keyAndSecretChanges()],
    ['key and secret configuration changes', patterns.keyAndSecretConfigurationChanges()],
    ['key grants made by principals', patterns.keyGrantsByPrincipals()],
  ])('routes %s events to every target', (_what, pattern) => {
    const rule = rules(template).find((r) => JSON.stringify(r.pattern) === JSON.stringify(renderPattern(pattern)));
    expect(rule).toBeDefined();
    expect(rule!.targets).toHaveLength(expectedTargets);
  });

  test('every target of every rule has its own dead-letter queue', () => {
    for (const rule of rules(template)) {
      for (const target of rule.targets) expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetters/), 'Arn'] } });
      const queues = rule.targets.map((t) => JSON.stringify(t.DeadLetterConfig));
      expect(new Set(queues).size).toBe(rule.targets.length);
    }
  });

  test('the topic and the webhook are retried 185 times within 24 hours', () => {
    for (const rule of rules(template)) {
      for (const target of rule.targets.filter((t) => !JSON.stringify(t.Arn).includes('event-bus'))) {
        expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
      }
    }
  });

  test('dead-letter queues (one per target, plus the webhook function\'s own) are KMS-encrypted and refuse plain HTTP', () => {
    const queues = expectedTargets + Number(variant.webhook);
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() }, queues);
    const denials = statementsOf(template, 'AWS::SQS::QueuePolicy').filter((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('aws:SecureTransport'));
    expect(denials).toHaveLength(queues);
  });

  test('dead-letter queues accept messages only from EventBridge rules of this account', () => {
    const allows = statementsOf(template, 'AWS::SQS::QueuePolicy').filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(expectedTargets);
    for (const s of allows) {
      expect(s.Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(actionsOf(s)).toEqual(['sqs:SendMessage']);
      expect(s.Condition!.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
      expect(JSON.stringify(s.Condition!.ArnLike)).toContain(':rule/*');
    }
  });

  test('the topic is encrypted with the key and has the subscribed address', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'security@example.com' });
  });

  test("the topic policy admits only this account's EventBridge and CloudWatch, over TLS", () => {
    const topicStatements = statementsOf(template, 'AWS::SNS::TopicPolicy');
    const allows = topicStatements.filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Principal)).toEqual([{ Service: 'events.amazonaws.com' }, { Service: 'cloudwatch.amazonaws.com' }]);
    for (const s of allows) {
      expect(actionsOf(s)).toEqual(['sns:Publish']);
      expect(s.Condition!.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    }
    expect(JSON.stringify(allows[0]!.Condition!.ArnLike)).toContain(':rule/*');
    expect(JSON.stringify(allows[1]!.Condition!.ArnLike)).toContain(':alarm:*');
    expect(topicStatements.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }))).toBe(true);
  });

  test('the key lets EventBridge and CloudWatch of this account publish encrypted messages', () => {
    const s = statement(template, 'AWS::KMS::Key', 'EventBridgeAndAlarmsPublishEncrypted');
    expect(s.Principal).toEqual({ Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] });
    expect(actionsOf(s)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(s.Condition!.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    const sources = JSON.stringify(s.Condition!.ArnLike['aws:SourceArn']);
    expect(sources).toContain(':rule/*');
    expect(sources).toContain(':alarm:*');
  });

  test('trail alarms reach the topic through their own actions, and the other targets through a rule', () => {
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^RoutingTopic') }] }, TRAIL_ALARMS.length);
    const alarmRule = rules(template).find((r) => JSON.stringify(r.pattern['detail-type']) === '["CloudWatch Alarm State Change"]');
    if (!variant.centralBus && !variant.webhook) {
      expect(alarmRule).toBeUndefined();
      return;
    }
    expect(alarmRule!.pattern).toMatchObject({ source: ['aws.cloudwatch'], detail: { state: { value: ['ALARM'] } } });
    expect(alarmRule!.pattern.resources).toHaveLength(TRAIL_ALARMS.length);
    expect(alarmRule!.targets).toHaveLength(expectedTargets - 1);
    expect(JSON.stringify(alarmRule!.targets)).not.toContain('RoutingTopic');
  });
});

/** An event pattern as CloudFormation renders it (kebab-case top-level keys). */
function renderPattern(pattern: events.EventPattern): Record<string, unknown> {
  const stack = new Stack();
  new events.Rule(stack, 'R', { eventPattern: pattern });
  return rules(Template.fromStack(stack))[0]!.pattern;
}

describe('FindingsRouting patterns', () => {
  const { template } = built.get('topic only')!;

  test('GuardDuty findings are filtered by a numeric severity threshold', () => {
    const rule = rules(template).find((r) => JSON.stringify(r.pattern.source) === '["aws.guardduty"]');
    expect(rule!.pattern).toEqual({ source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 7] }] } });
  });

  test.each([4, 9])('the GuardDuty threshold is a prop (%d)', (threshold) => {
    const stack = new Stack();
    new FindingsRouting(stack, 'Routing', { key: new kms.Key(stack, 'K'), guardDutyMinimumSeverity: threshold });
    const rule = rules(Template.fromStack(stack)).find((r) => JSON.stringify(r.pattern.source) === '["aws.guardduty"]');
    expect(rule!.pattern.detail).toEqual({ severity: [{ numeric: ['>=', threshold] }] });
  });

  test.each([0, 11])('a GuardDuty threshold of %d is refused', (threshold) => {
    const stack = new Stack();
    expect(() => new FindingsRouting(stack, 'Routing', { key: new kms.Key(stack, 'K'), guardDutyMinimumSeverity: threshold })).toThrow(/from 1 to 10/);
  });

  test('Security Hub: new, active, HIGH or CRITICAL, not the products routed from their own service', () => {
    expect(patterns.securityHubFindings().detail).toEqual({
      findings: {
        Severity: { Label: ['HIGH', 'CRITICAL'] },
        Workflow: { Status: ['NEW'] },
        RecordState: ['ACTIVE'],
        ProductName: [{ 'anything-but': ['GuardDuty', 'Inspector', 'IAM Access Analyzer'] }],
      },
    });
  });

  test.each([
    ['Inspector', patterns.inspectorFindings(), { source: ['aws.inspector2'], detailType: ['Inspector2 Finding'], detail: { severity: ['HIGH', 'CRITICAL'], status: ['ACTIVE'] } }],
    ['Access Analyzer', patterns.accessAnalyzerFindings(), { source: ['aws.access-analyzer'], detailType: ['Access Analyzer Finding'], detail: { status: ['ACTIVE'] } }],
    [
      'Config',
      patterns.configNonCompliance(),
      { source: ['aws.config'], detailType: ['Config Rules Compliance Change'], detail: { messageType: ['ComplianceChangeNotification'], newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } } },
    ],
    ['ACM', patterns.certificateExpiry(), { source: ['aws.acm'], detailType: ['ACM Certificate Approaching Expiration'] }],
    [
      'Secrets Manager',
      patterns.secretRotationFailures(),
      { source: ['aws.secretsmanager'], detailType: ['AWS Service Event via CloudTrail'], detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: ['RotationFailed'] } },
    ],
    [
      'root activity',
      patterns.rootActivity(),
      {
        detailType: ['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail'],
        detail: { userIdentity: { type: ['Root'], invokedBy: [{ exists: false }] }, eventType: [{ 'anything-but': 'AwsServiceEvent' }] },
      },
    ],
  ])('%s pattern', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  test('root activity can be left to AccountGuardrails', () => {
    const stack = new Stack();
    new FindingsRouting(stack, 'Routing', { key: new kms.Key(stack, 'K'), routeRootActivity: false });
    expect(rules(Template.fromStack(stack)).some((r) => JSON.stringify(r.pattern).includes('"Root"'))).toBe(false);
  });
});

describe('FindingsRouting targets', () => {
  test('target() hands out the same targets, dead-letter queues and retries, to rules elsewhere', () => {
    const app = new App();
    const stack = withProjectFlags(new Stack(app, 'Security'));
    const routing = new FindingsRouting(stack, 'Routing', { key: new kms.Key(stack, 'K'), centralEventBusArn: CENTRAL_BUS });
    const other = new Stack(app, 'Other');
    new events.Rule(other, 'Elsewhere', { eventPattern: patterns.certificateExpiry(), targets: routing.target() });
    const targets = rules(Template.fromStack(other))[0]!.targets;
    expect(targets).toHaveLength(2);
    for (const target of targets) expect(target.DeadLetterConfig).toBeDefined();
  });

  test('route() adds a rule to every target', () => {
    const stack = new Stack();
    const routing = new FindingsRouting(stack, 'Routing', { key: new kms.Key(stack, 'K') });
    routing.route('Custom', { source: ['aws.health'] });
    const rule = rules(Template.fromStack(stack)).find((r) => JSON.stringify(r.pattern) === '{"source":["aws.health"]}');
    expect(rule!.targets).toHaveLength(1);
  });

  test('the central bus is reached through a role EventBridge of this account assumes, allowed PutEvents on that bus only', () => {
    const { template } = built.get('topic and central bus')!;
    const target = rules(template)[0]!.targets.find((t) => t.Arn === CENTRAL_BUS)!;
    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^RoutingCentralBusRole/), 'Arn'] });
    // EventBridge takes no retry policy for event-bus targets; the dead-letter queue still catches what fails.
    expect(target.RetryPolicy).toBeUndefined();
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^RoutingCentralBusDeadLetters/), 'Arn'] } });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^RoutingCentralBusRole') }],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: CENTRAL_BUS }] },
    });
  });

  test('an invalid email address is refused', () => {
    const stack = new Stack();
    expect(() => new FindingsRouting(stack, 'Routing', { key: new kms.Key(stack, 'K'), emails: ['security'] })).toThrow(/not an email address/);
  });
});

describe('FindingsRouting webhook', () => {
  const { template } = built.get('topic and webhook')!;

  test('runs the finding-notifier handler with the secret and format, for 60 seconds', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Timeout: 60,
      Environment: { Variables: { WEBHOOK_SECRET_ARN: SECRET, WEBHOOK_FORMAT: 'slack' } },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
  });

  test('Lambda retries an event twice, for at most 6 hours', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600, Qualifier: '$LATEST' });
  });

  test('may read exactly that secret and decrypt with its key only through Secrets Manager', () => {
    const granted = statementsOf(template, 'AWS::IAM::ManagedPolicy');
    expect(granted.filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))).toEqual([{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }]);
    expect(granted.filter((s) => actionsOf(s).includes('kms:Decrypt') && s.Sid !== 'DeadLettersEncrypted')).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:eu-west-1:111111111111:key/secrets',
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' }, StringLike: { 'kms:EncryptionContext:SecretARN': SECRET } },
      },
    ]);
  });

  test('EventBridge may invoke it only from rules of this construct', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions.length).toBeGreaterThan(0);
    for (const p of permissions) {
      expect(p.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^Routing/), 'Arn'] } });
    }
  });
});
