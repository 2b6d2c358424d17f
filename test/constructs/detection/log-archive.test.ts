import { resourcesOfType, synthesizeExample } from '../../helpers/app';

describe('LogArchive', () => {
  const { json } = synthesizeExample('dev');
  const buckets = resourcesOfType(json.Security!, 'AWS::S3::Bucket');

  test('the logs key admits log delivery only for sources in this account', () => {
    const [, key] = resourcesOfType(json.Security!, 'AWS::KMS::Key').find(([id]) => id.startsWith('KeysLogs'))!;
    const statements = (key.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    const delivery = statements.find((s) => s.Sid === 'LogDeliveryToS3')!;
    expect(delivery.Principal).toEqual({ Service: 'delivery.logs.amazonaws.com' });
    expect(delivery.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': expect.anything() },
    });
    const groups = statements.find((s) => s.Sid === 'CloudWatchLogsGroups')!;
    expect(JSON.stringify(groups.Condition)).toContain('kms:EncryptionContext:aws:logs:arn');
  });

  test.each([
    ['BlockPublicAccess (all four)', { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } }],
    ['ACLs disabled', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }],
    ['versioning', { VersioningConfiguration: { Status: 'Enabled' } }],
  ])('every bucket has %s', (_name, expected) => {
    expect(buckets).toHaveLength(2);
    for (const [, bucket] of buckets) expect(bucket).toMatchObject(expected);
  });

  test('buckets are retained when the stack goes', () => {
    for (const [id] of buckets) {
      expect(json.Security!.Resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('every bucket policy denies plain HTTP and TLS below 1.2', () => {
    const policies = resourcesOfType(json.Security!, 'AWS::S3::BucketPolicy').map(([, p]) => JSON.stringify(p.PolicyDocument));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy).toContain('"aws:SecureTransport":"false"');
      expect(policy).toMatch(/"NumericLessThan":\{"s3:TlsVersion":1.2\}/);
    }
  });

  test('the log bucket uses the logs key with bucket keys and sends access logs to the access-log bucket', () => {
    const logBucket = buckets.find(([id]) => id.startsWith('LogArchiveLogs'))![1];
    expect(logBucket.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: expect.anything() },
    });
    expect(JSON.stringify(logBucket.LoggingConfiguration.DestinationBucketName)).toContain('LogArchiveAccessLogs');
  });

  test('only the access-log bucket uses SSE-S3, as S3 log delivery requires', () => {
    const sseS3 = buckets.filter(([, b]) => b.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm === 'AES256');
    expect(sseS3.map(([id]) => id)).toEqual([expect.stringMatching(/^LogArchiveAccessLogs/)]);
  });
});
