import { Match } from 'aws-cdk-lib/assertions';
import { GUARDDUTY_FEATURES, ThreatDetection } from '../../../src/constructs/detection/threat-detection';
import { buildChecked } from '../../helpers/nag';
import { actionsOf, localLogArchive, statement } from './fixtures';

const withoutExport = buildChecked(({ stack }) => {
  new ThreatDetection(stack, 'Threats');
});
const withExport = buildChecked(({ stack }) => {
  const { key, archive } = localLogArchive(stack);
  new ThreatDetection(stack, 'Threats', { findingsExport: { bucket: archive.logBucket, key } });
});

describe.each([
  ['without a findings export', withoutExport],
  ['with an S3 findings export', withExport],
])('ThreatDetection %s', (_name, { template, findings }) => {
  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('publishes findings every 15 minutes', () => {
    template.hasResourceProperties('AWS::GuardDuty::Detector', { Enable: true, FindingPublishingFrequency: 'FIFTEEN_MINUTES' });
  });

  test.each([
    ['S3_DATA_EVENTS', undefined],
    ['EBS_MALWARE_PROTECTION', undefined],
    ['RDS_LOGIN_EVENTS', undefined],
    [
      'RUNTIME_MONITORING',
      [
        { Name: 'EC2_AGENT_MANAGEMENT', Status: 'ENABLED' },
        { Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' },
        { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' },
      ],
    ],
    ['LAMBDA_NETWORK_LOGS', undefined],
    ['EKS_AUDIT_LOGS', undefined],
  ])('turns on the %s protection plan', (name, additional) => {
    const expected: Record<string, unknown> = { Name: name, Status: 'ENABLED' };
    if (additional) expected.AdditionalConfiguration = additional;
    template.hasResourceProperties('AWS::GuardDuty::Detector', { Features: Match.arrayWith([expected]) });
  });

  test('uses features, not the legacy data sources', () => {
    const [detector] = Object.values(template.findResources('AWS::GuardDuty::Detector'));
    expect(detector!.Properties.DataSources).toBeUndefined();
    expect(detector!.Properties.Features).toHaveLength(GUARDDUTY_FEATURES.length);
  });
});

describe('ThreatDetection findings export', () => {
  const { template } = withExport;

  test('exports to the log bucket under guardduty/, encrypted with the key', () => {
    template.hasResourceProperties('AWS::GuardDuty::PublishingDestination', {
      DestinationType: 'S3',
      DestinationProperties: {
        DestinationArn: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ArchiveLogs'), 'Arn'] }, '/guardduty/']] },
        KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      },
    });
  });

  test('waits for the bucket policy that lets GuardDuty write', () => {
    const [destination] = Object.values(template.findResources('AWS::GuardDuty::PublishingDestination'));
    expect(destination!.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ArchiveLogsPolicy/)]));
  });

  test.each([
    ['GuardDutyBucketLocation', 's3:GetBucketLocation'],
    ['GuardDutyExportFindings', 's3:PutObject'],
  ])('bucket policy statement %s lets GuardDuty of this account call %s only', (sid, action) => {
    const s = statement(template, 'AWS::S3::BucketPolicy', sid);
    expect(s.Principal).toEqual({ Service: 'guardduty.amazonaws.com' });
    expect(actionsOf(s)).toEqual([action]);
    expect(s.Condition!.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(JSON.stringify(s.Condition!.ArnLike)).toContain(':detector/*');
  });

  test('the key policy lets GuardDuty of this account generate data keys, nothing more', () => {
    const s = statement(template, 'AWS::KMS::Key', 'GuardDutyEncryptsExportedFindings');
    expect(actionsOf(s)).toEqual(['kms:GenerateDataKey']);
    expect(s.Condition!.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
  });

  test('no export is configured without one', () => {
    withoutExport.template.resourceCountIs('AWS::GuardDuty::PublishingDestination', 0);
  });
});

describe('ThreatDetection adopting the account detector', () => {
  const DETECTOR = '6ac9cbf423ef198cf7ee66ea166c0634';
  const adopted = buildChecked(({ stack }) => {
    const { key, archive } = localLogArchive(stack);
    new ThreatDetection(stack, 'Threats', { existingDetectorId: DETECTOR, findingsExport: { bucket: archive.logBucket, key } });
  });

  test('creates no detector, and the findings export attaches to the adopted one; all four packs clean', () => {
    adopted.template.resourceCountIs('AWS::GuardDuty::Detector', 0);
    adopted.template.hasResourceProperties('AWS::GuardDuty::PublishingDestination', { DetectorId: DETECTOR });
    expect(adopted.findings).toEqual([]);
  });

  test('refuses an id that is not a detector id', () => {
    expect(() => buildChecked(({ stack }) => new ThreatDetection(stack, 'Threats', { existingDetectorId: 'detector-1' }))).toThrow(
      /existingDetectorId must be a detector id of 32 lowercase hex characters \(got "detector-1"\)/,
    );
  });
});
