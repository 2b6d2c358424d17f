import * as kms from 'aws-cdk-lib/aws-kms';
import { listAcknowledgements } from '../../../src/compliance';
import { AccessAnalyzer } from '../../../src/constructs/detection/access-analyzer';
import { AuditTrail } from '../../../src/constructs/detection/audit-trail';
import { ConfigRules } from '../../../src/constructs/detection/config-rules';
import { FindingsRouting } from '../../../src/constructs/detection/findings-routing';
import { SecurityHub } from '../../../src/constructs/detection/security-hub';
import { ThreatDetection } from '../../../src/constructs/detection/threat-detection';
import { AccountGuardrails } from '../../../src/constructs/guardrails/account-guardrails';
import { buildChecked } from '../../helpers/nag';
import { localLogArchive, statementsOf } from './fixtures';

/** Every detection and guardrail construct in one stack, wired as a standalone Security stack would wire them. */
describe('detection and guardrails together (standalone)', () => {
  let acknowledged: ReturnType<typeof listAcknowledgements> = [];
  const { template, findings } = buildChecked(({ stack, vpc }) => {
    const { key, archive } = localLogArchive(stack);
    const dataKey = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
    const routing = new FindingsRouting(stack, 'Routing', { key, emails: ['security@example.com'], routeRootActivity: false });
    new ThreatDetection(stack, 'Threats', { findingsExport: { bucket: archive.logBucket, key } });
    new SecurityHub(stack, 'SecurityHub');
    new ConfigRules(stack, 'Config', { mode: 'standalone', recorder: { bucket: archive.logBucket, key } });
    new AccessAnalyzer(stack, 'AccessAnalyzer');
    const trail = new AuditTrail(stack, 'Audit', { bucket: archive.logBucket, key, logRetentionDays: 365, alarmTopic: routing.topic });
    routing.forwardAlarms(Object.values(trail.alarms));
    new AccountGuardrails(stack, 'Guardrails', { ebsKey: dataKey, alertTargets: routing.target(), vpc, subnets: { subnetGroupName: 'App' }, logsKey: key, logRetentionDays: 365 });
    // The log archive's own acknowledgements are its business, not these constructs'.
    acknowledged = listAcknowledgements(stack).filter((a) => !/\/Archive(\/|$)/.test(a.path));
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('the shared logs key carries each service statement once, with unique ids', () => {
    const sids = statementsOf(template, 'AWS::KMS::Key').map((s) => s.Sid).filter((sid): sid is string => sid !== undefined);
    expect(sids).toEqual(expect.arrayContaining(['GuardDutyEncryptsExportedFindings', 'ConfigEncryptsDeliveries', 'CloudTrailEncryptsLogFiles', 'CloudTrailDescribesKey', 'EventBridgeAndAlarmsPublishEncrypted']));
    expect(new Set(sids).size).toBe(sids.length);
  });

  test('statement ids are unique within each log bucket policy', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as { Properties: { PolicyDocument: { Statement: { Sid?: string }[] } } }[];
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      const sids = policy.Properties.PolicyDocument.Statement.map((s) => s.Sid).filter((sid): sid is string => sid !== undefined);
      expect(new Set(sids).size).toBe(sids.length);
    }
  });

  test('acknowledgements stay few, and each says why', () => {
    expect(acknowledged.map((a) => `${a.id} @ ${a.path.replace(/^Test\/Stack\//, '')}`).sort()).toEqual(
      [
        'AwsSolutions-IAM5[Resource::*] @ Config/S3AccountPublicAccessBlockRemediationRole',
        'AwsSolutions-IAM5[Resource::*] @ Guardrails/Settings/Role',
        'AwsSolutions-SQS3 @ Routing/TopicDeadLetters',
        'HIPAA.Security-LambdaConcurrency @ AWS679f53fac002430cb0da5b7982bd2287',
        'HIPAA.Security-LambdaDLQ @ AWS679f53fac002430cb0da5b7982bd2287',
        'NIST.800.53.R5-LambdaConcurrency @ AWS679f53fac002430cb0da5b7982bd2287',
        'NIST.800.53.R5-LambdaDLQ @ AWS679f53fac002430cb0da5b7982bd2287',
      ].sort(),
    );
    for (const a of acknowledged) expect(a.reason.length).toBeGreaterThanOrEqual(40);
  });
});
