import { Macie } from '../../../src/constructs/detection/macie';
import { AccountSettings } from '../../../src/constructs/guardrails/account-settings';
import { buildChecked } from '../../helpers/nag';
import { accountCall } from './account-calls';
import { localLogArchive, statement } from './fixtures';

describe('Macie', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key: fixtureKey }) => {
    const { key, archive } = localLogArchive(stack);
    const settings = new AccountSettings(stack, 'Settings', { vpc, subnets: { subnetGroupName: 'App' }, logsKey: fixtureKey, logRetentionDays: 90 });
    new Macie(stack, 'Macie', { results: { bucket: archive.logBucket, key }, settings });
  });
  const sourceArns = [
    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':macie2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':export-configuration:*']] },
    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':macie2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':classification-job/*']] },
  ];

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('enables Macie, publishing every 15 minutes, and keeps the session when the stack is deleted', () => {
    template.hasResource('AWS::Macie::Session', {
      Properties: { Status: 'ENABLED', FindingPublishingFrequency: 'FIFTEEN_MINUTES' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('exports discovery results to the log bucket under macie/ with the logs key, once the session and the bucket policy exist', () => {
    const call = accountCall(template, 'MacieResultsExport');
    expect(call.create).toMatchObject({ service: 'Macie2', action: 'PutClassificationExportConfiguration' });
    expect(call.create.parameters).toEqual({
      configuration: { s3Destination: { bucketName: expect.stringMatching(/^«\{'Ref':'ArchiveLogs/), keyPrefix: 'macie', kmsKeyArn: expect.stringMatching(/^«\{'Fn::GetAtt':\['LogsKey/) } },
    });
    expect(call.update).toEqual(call.create);
    expect(call.delete).toBeUndefined();
    expect(call.dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MacieSession/), expect.stringMatching(/^ArchiveLogsPolicy/)]));
  });

  test('publishes policy and sensitive data findings to Security Hub', () => {
    const call = accountCall(template, 'MacieSecurityHubPublication');
    expect(call.create).toMatchObject({ service: 'Macie2', action: 'PutFindingsPublicationConfiguration' });
    // The call travels as JSON text, so the booleans arrive as booleans.
    expect(call.create.parameters).toEqual({ securityHubConfiguration: { publishPolicyFindings: true, publishClassificationFindings: true } });
    expect(call.dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MacieSession/)]));
  });

  test('turns on automated sensitive data discovery after the results repository is set', () => {
    const call = accountCall(template, 'MacieAutomatedDiscovery');
    expect(call.create).toMatchObject({ service: 'Macie2', action: 'UpdateAutomatedDiscoveryConfiguration', parameters: { status: 'ENABLED' } });
    const [exportId] = Object.keys(template.findResources('Custom::MacieResultsExport'));
    expect(call.dependsOn).toContain(exportId);
  });

  test('the logs key lets Macie encrypt results only for this account and its export configuration', () => {
    expect(statement(template, 'AWS::KMS::Key', 'MacieEncryptsDiscoveryResults')).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'macie.amazonaws.com' },
      Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': sourceArns } },
    });
  });

  test('the log bucket takes Macie results only under macie/, only SSE-KMS with the logs key', () => {
    expect(statement(template, 'AWS::S3::BucketPolicy', 'MacieWritesDiscoveryResults')).toMatchObject({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ArchiveLogs/), 'Arn'] }, '/macie/*']] },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': sourceArns } },
    });
    expect(statement(template, 'AWS::S3::BucketPolicy', 'MacieResultsOnlySseKms')).toMatchObject({
      Effect: 'Deny',
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    });
    expect(statement(template, 'AWS::S3::BucketPolicy', 'MacieResultsOnlyLogsKey')).toMatchObject({
      Effect: 'Deny',
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'] } } },
    });
    expect(statement(template, 'AWS::S3::BucketPolicy', 'MacieBucketLocation')).toMatchObject({ Effect: 'Allow', Action: 's3:GetBucketLocation' });
  });
});
