import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

describe('DataBucket', () => {
  const dev = synthesizeExample('dev');
  const [bucketId, bucket] = resourcesOfType(dev.json.Data!, 'AWS::S3::Bucket')[0]!;
  const statements = resourcesOfType(dev.json.Data!, 'AWS::S3::BucketPolicy')[0]![1].PolicyDocument.Statement as {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
  }[];

  test('is SSE-KMS with the data key and bucket keys', () => {
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/KeysData/) }) } },
    });
  });

  test('blocks public access, disables ACLs, versions, logs access and is retained', () => {
    expect(bucket).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { LogFilePrefix: 'data-bucket/' },
    });
    expect(dev.json.Data!.Resources[bucketId]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('is Object Lock capable from creation, so turning retention on later never replaces it', () => {
    expect(bucket.ObjectLockEnabled).toBe(true);
    expect(bucket.ObjectLockConfiguration).toBeUndefined();
  });

  test('applies the configured Object Lock retention (compliance mode, as critical data requires)', () => {
    const prod = synthesizeExample('prod');
    const [, locked] = resourcesOfType(prod.json.Data!, 'AWS::S3::Bucket')[0]!;
    expect(locked.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } });
  });

  test('noncurrent versions expire after the configured days', () => {
    const s = synthesize(configFrom('dev', (c) => (c.data.noncurrentVersionDays = 400)));
    const [, b] = resourcesOfType(s.json.Data!, 'AWS::S3::Bucket')[0]!;
    expect(b.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 400 });
  });

  test('denies object access from outside the S3 gateway endpoint, except administrators and backup (not the deployment role)', () => {
    const vpce = statements.find((s) => s.Sid === 'ObjectsOnlyThroughTheVpcEndpoint')!;
    expect(vpce.Effect).toBe('Deny');
    expect(vpce.Action).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:PutObject*', 's3:DeleteObject*']));
    expect(JSON.stringify(vpce.Condition!.StringNotEquals)).toMatch(/aws:SourceVpce.*EndpointsS3/);
    const exempt = JSON.stringify(vpce.Condition!.ArnNotLike);
    expect(exempt).toContain('role/sra-key-administrators');
    expect(exempt).not.toContain('cfn-exec-role');
    expect(exempt).toContain('BackupRole');
  });

  test('denies plain HTTP and TLS below 1.2', () => {
    const text = JSON.stringify(statements);
    expect(text).toContain('"aws:SecureTransport":"false"');
    expect(text).toContain('"s3:TlsVersion":1.2');
  });

  test('refuses SSE-C, SSE-S3 and any KMS key but the data key on upload', () => {
    const deny = (sid: string) => statements.find((s) => s.Sid === sid)!;
    expect(deny('NoCustomerProvidedKeys')).toMatchObject({ Effect: 'Deny', Action: 's3:PutObject', Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } } });
    expect(deny('OnlySseKms')).toMatchObject({ Effect: 'Deny', Action: 's3:PutObject', Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } } });
    expect(deny('OnlyTheDataKey')).toMatchObject({
      Effect: 'Deny',
      Action: 's3:PutObject',
      Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/KeysData/) }) } } },
    });
  });
});
