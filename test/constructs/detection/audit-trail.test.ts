import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AuditTrail } from '../../../src/constructs/detection/audit-trail';
import { TRAIL_ALARMS } from '../../../src/constructs/detection/trail-alarm-catalog';
import { buildChecked } from '../../helpers/nag';
import { actionsOf, localLogArchive, statement, statementsOf } from './fixtures';

const DATA_BUCKET = 'arn:aws:s3:::sra-app-data';

function build(dataEventBucketArns?: string[]) {
  return buildChecked(({ stack }) => {
    const { key, archive } = localLogArchive(stack);
    const alarmTopic = new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true });
    new AuditTrail(stack, 'Audit', { bucket: archive.logBucket, key, logRetentionDays: 365, alarmTopic, dataEventBucketArns });
  });
}

/** Metric filters as pattern → metric name. */
function filters(template: Template): Map<string, string> {
  return new Map(
    Object.values(template.findResources('AWS::Logs::MetricFilter')).map((f) => [f.Properties.FilterPattern as string, f.Properties.MetricTransformations[0].MetricName as string]),
  );
}

const managementOnly = build();
const withDataEvents = build([DATA_BUCKET]);

describe.each([
  ['management events only', managementOnly],
  ['with S3 data events', withDataEvents],
])('AuditTrail, %s', (_name, { template, findings }) => {
  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('is multi-region, with global service events, log file validation and SSE-KMS, logging to the log bucket', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      S3BucketName: { Ref: Match.stringLikeRegexp('^ArchiveLogs') },
      S3KeyPrefix: 'cloudtrail',
    });
  });

  test('records read and write management events', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      EventSelectors: Match.arrayWith([{ IncludeManagementEvents: true, ReadWriteType: 'All' }]),
    });
  });

  test('delivers to an encrypted, retained log group through a role with a customer-managed policy', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditLogs[0-9A-F]{8}$'), 'Arn'] },
      CloudWatchLogsRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditLogsRole'), 'Arn'] },
    });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^AuditLogsRole') }],
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditLogs[0-9A-F]{8}$'), 'Arn'] } }],
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the trail waits for its logs role and policy', () => {
    const [trail] = Object.values(template.findResources('AWS::CloudTrail::Trail'));
    expect(trail!.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^AuditLogsRole[0-9A-F]{8}$/), expect.stringMatching(/^AuditLogsRolePolicy/)]));
  });

  test('the bucket policy lets CloudTrail check the bucket and write under its prefix', () => {
    const cloudTrail = statementsOf(template, 'AWS::S3::BucketPolicy').filter((s) => JSON.stringify(s.Principal).includes('cloudtrail.amazonaws.com'));
    expect(cloudTrail.map(actionsOf).flat().sort()).toEqual(['s3:GetBucketAcl', 's3:PutObject']);
    expect(JSON.stringify(cloudTrail)).toContain('cloudtrail/AWSLogs/111111111111/*');
  });

  test.each([
    ['CloudTrailEncryptsLogFiles', ['kms:GenerateDataKey*']],
    ['CloudTrailDescribesKey', ['kms:DescribeKey']],
  ])('key policy statement %s admits CloudTrail trails of this account only', (sid, actions) => {
    const s = statement(template, 'AWS::KMS::Key', sid);
    expect(s.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(actionsOf(s)).toEqual(actions);
    expect(s.Condition!.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(JSON.stringify(s.Condition!.ArnLike)).toContain(':trail/*');
  });

  test.each(TRAIL_ALARMS.map((a) => [a.id, a.pattern] as const))('metric filter %s matches exactly its CIS pattern', (id, pattern) => {
    expect(filters(template).get(pattern)).toBe(id);
  });

  test.each(TRAIL_ALARMS.map((a) => [a.id]))('alarm on %s fires on one event in 5 minutes and notifies the topic', (id) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: id,
      Namespace: 'CloudTrailMetrics',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alarms') }],
    });
  });
});

describe('AuditTrail patterns', () => {
  const byId = Object.fromEntries(TRAIL_ALARMS.map((a) => [a.id, a.pattern]));

  test.each([
    ['RootAccountUse', ['$.userIdentity.type = "Root"', '$.userIdentity.invokedBy NOT EXISTS', '$.eventType != "AwsServiceEvent"']],
    ['UnauthorizedApiCalls', ['"*UnauthorizedOperation"', '"AccessDenied*"']],
    ['ConsoleSignInWithoutMfa', ['"ConsoleLogin"', '$.additionalEventData.MFAUsed != "Yes"']],
    ['IamPolicyChanges', ['PutRolePolicy', 'AttachRolePolicy', 'CreatePolicyVersion', 'DetachGroupPolicy']],
    ['CloudTrailChanges', ['StopLogging', 'DeleteTrail', 'UpdateTrail']],
    ['KmsKeyDisabledOrScheduledForDeletion', ['kms.amazonaws.com', 'DisableKey', 'ScheduleKeyDeletion']],
    ['KmsKeyPolicyOrGrantChanges', ['kms.amazonaws.com', '($.eventName = PutKeyPolicy)', '($.eventName = CreateGrant) && ($.userIdentity.invokedBy NOT EXISTS)']],
    ['ConfigChanges', ['config.amazonaws.com', 'StopConfigurationRecorder', 'DeleteDeliveryChannel']],
    ['SecurityGroupChanges', ['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'DeleteSecurityGroup']],
    ['NetworkAclChanges', ['CreateNetworkAclEntry', 'ReplaceNetworkAclAssociation']],
    ['NetworkGatewayChanges', ['AttachInternetGateway', 'CreateCustomerGateway']],
    ['RouteTableChanges', ['ec2.amazonaws.com', 'CreateRoute', 'ReplaceRouteTableAssociation', 'DisassociateRouteTable']],
  ])('%s watches what CIS names', (id, parts) => {
    for (const part of parts) expect(byId[id]).toContain(part);
  });

  test('every pattern is one balanced JSON filter within the 1024-character limit', () => {
    for (const { pattern } of TRAIL_ALARMS) {
      expect(pattern).toMatch(/^\{ .* \}$/);
      expect(pattern.length).toBeLessThanOrEqual(1024);
      expect(pattern.split('(').length).toBe(pattern.split(')').length);
    }
  });
});

describe('AuditTrail data events', () => {
  test('records S3 object reads and writes of the given buckets only', () => {
    withDataEvents.template.hasResourceProperties('AWS::CloudTrail::Trail', {
      EventSelectors: Match.arrayWith([
        { DataResources: [{ Type: 'AWS::S3::Object', Values: [`${DATA_BUCKET}/`] }], IncludeManagementEvents: false, ReadWriteType: 'All' },
      ]),
    });
  });

  test('are off unless buckets are given', () => {
    const [trail] = Object.values(managementOnly.template.findResources('AWS::CloudTrail::Trail'));
    expect(trail!.Properties.EventSelectors).toEqual([{ IncludeManagementEvents: true, ReadWriteType: 'All' }]);
  });
});
