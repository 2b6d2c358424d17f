import { AuditManagerAssessments } from '../../../src/constructs/detection/audit-manager';
import { buildChecked } from '../../helpers/nag';
import { localLogArchive } from './fixtures';

const NIST = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const PCI = '1b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

describe('AuditManagerAssessments', () => {
  const { template, findings } = buildChecked(({ stack }) => {
    const { key, archive } = localLogArchive(stack);
    new AuditManagerAssessments(stack, 'AuditManager', { name: 'sra-app-dev', frameworkIds: [NIST, PCI], processOwnerRoleName: 'audit-owner', key, accessLogBucket: archive.accessLogBucket });
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('assesses this account against each framework, owned by the process owner role, and keeps the evidence on delete', () => {
    for (const frameworkId of [NIST, PCI]) {
      template.hasResource('AWS::AuditManager::Assessment', {
        Properties: {
          FrameworkId: frameworkId,
          Status: 'ACTIVE',
          AwsAccount: { Id: { Ref: 'AWS::AccountId' } },
          Scope: { AwsAccounts: [{ Id: { Ref: 'AWS::AccountId' } }] },
          Roles: [{ RoleType: 'PROCESS_OWNER', RoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/audit-owner']] } }],
        },
        DeletionPolicy: 'Retain',
      });
    }
  });

  test('reports go to their own bucket, encrypted with the key, access-logged', () => {
    const [, assessment] = Object.entries(template.findResources('AWS::AuditManager::Assessment'))[0]!;
    const destination = assessment.Properties.AssessmentReportsDestination;
    expect(destination.DestinationType).toBe('S3');
    const bucketId = (destination.Destination['Fn::Join'][1] as unknown[]).map((p) => (p as { Ref?: string }).Ref).find(Boolean)!;
    const bucket = template.findResources('AWS::S3::Bucket')[bucketId]!;
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toMatchObject({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'] },
    });
    expect(bucket.Properties.LoggingConfiguration.LogFilePrefix).toBe('audit-manager-reports/');
    expect(bucket.DeletionPolicy).toBe('Retain');
  });
});
