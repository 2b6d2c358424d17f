import { existsSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { Macie, MACIE_HANDLER } from '../../../src/constructs/detection/macie';
import { buildChecked } from '../../helpers/nag';
import { localLogArchive, statement } from './fixtures';

describe('Macie', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key: fixtureKey }) => {
    const { key, archive } = localLogArchive(stack);
    new Macie(stack, 'Macie', { results: { bucket: archive.logBucket, key }, vpc, subnets: { subnetGroupName: 'App' }, key: fixtureKey, logsKey: fixtureKey, logRetentionDays: 90 });
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

  test('configures discovery, publication and export with the log bucket and the logs key, after the session and bucket policy', () => {
    expect(existsSync(MACIE_HANDLER)).toBe(true);
    template.hasResourceProperties('Custom::MacieConfiguration', {
      BucketName: { Ref: Match.stringLikeRegexp('^ArchiveLogs') },
      KeyPrefix: 'macie',
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
    });
    const [configuration] = Object.values(template.findResources('Custom::MacieConfiguration'));
    expect(configuration!.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MacieSession/), expect.stringMatching(/^ArchiveLogsPolicy/)]));
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
