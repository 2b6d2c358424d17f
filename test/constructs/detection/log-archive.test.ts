import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Resource?: unknown; Condition?: Record<string, Record<string, unknown>> };

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

  const policyOf = (prefix: string): Statement[] =>
    (resourcesOfType(json.Security!, 'AWS::S3::BucketPolicy').find(([id]) => id.startsWith(prefix))![1].PolicyDocument as { Statement: Statement[] }).Statement;
  const bucket = (prefix: string) => buckets.find(([id]) => id.startsWith(prefix))![1];

  test('the log bucket is under Object Lock: governance for the flow-log period in development', () => {
    expect(bucket('LogArchiveLogs')).toMatchObject({ ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 90 } } } });
    // S3 refuses a locked bucket as a server access log target.
    expect(bucket('LogArchiveAccessLogs').ObjectLockEnabled).toBeUndefined();
  });

  test('production locks its logs in compliance mode', () => {
    const prod = resourcesOfType(synthesizeExample('prod').json.Security!, 'AWS::S3::Bucket').find(([id]) => id.startsWith('LogArchiveLogs'))![1];
    expect(prod.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } });
  });

  test('audit logs are kept 365 days, flow logs for their own 90', () => {
    const rules = bucket('LogArchiveLogs').LifecycleConfiguration.Rules as { Prefix?: string; ExpirationInDays?: number }[];
    expect(rules.filter((r) => !r.Prefix).map((r) => r.ExpirationInDays)).toEqual([365]);
    expect(rules.filter((r) => r.Prefix).map((r) => [r.Prefix, r.ExpirationInDays])).toEqual([['vpc-flow-logs/', 90]]);
    const accessRules = bucket('LogArchiveAccessLogs').LifecycleConfiguration.Rules as { ExpirationInDays?: number }[];
    expect(accessRules.map((r) => r.ExpirationInDays)).toEqual([365]);
  });

  test.each(['LogArchiveLogsPolicy', 'LogArchiveAccessLogsPolicy'])('%s denies erasing logs to everyone and bucket settings to all but CloudFormation', (prefix) => {
    const statements = policyOf(prefix);
    const erase = statements.find((s) => s.Sid === 'LogsCannotBeErased')!;
    expect(erase).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(erase.Action).toEqual(expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention']));
    expect(erase.Condition).toBeUndefined();
    const settings = statements.find((s) => s.Sid === 'LogBucketSettingsOnlyByBreakGlassOrDeployment')!;
    expect(settings).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(settings.Action).toEqual(
      expect.arrayContaining(['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketVersioning']),
    );
    const exempt = JSON.stringify(settings.Condition!.ArnNotEquals!['aws:PrincipalArn']);
    expect(exempt).toContain('cfn-exec-role');
    expect(exempt).not.toContain('sra-key-administrators');
  });

  test('every service that writes into the log buckets is held to this account, and CloudTrail to its trails', () => {
    const allows = [...policyOf('LogArchiveLogsPolicy'), ...policyOf('LogArchiveAccessLogsPolicy')].filter((s) => s.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(0);
    for (const s of allows) {
      expect(JSON.stringify(s.Principal)).toContain('Service');
      expect(JSON.stringify(s.Condition?.StringEquals ?? {})).toContain('aws:SourceAccount');
    }
    const trail = allows.filter((s) => JSON.stringify(s.Principal).includes('cloudtrail'));
    expect(trail.map((s) => s.Sid).sort()).toEqual(['CloudTrailAclCheck', 'CloudTrailWrite']);
    for (const s of trail) expect(JSON.stringify(s.Condition!.ArnLike!['aws:SourceArn'])).toContain(':trail/*');
  });

  test('the load balancer and WAF log buckets carry the same denies', () => {
    const prodApp = synthesizeExample('prod').json.Application!;
    const policies = [
      ...resourcesOfType(json.Application!, 'AWS::S3::BucketPolicy').filter(([id]) => id.startsWith('LoadBalancerLogs')),
      ...resourcesOfType(prodApp, 'AWS::S3::BucketPolicy').filter(([id]) => id.startsWith('WafLogs')),
    ];
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      const sids = (policy.PolicyDocument.Statement as Statement[]).map((st) => st.Sid);
      expect(sids).toEqual(expect.arrayContaining(['LogsCannotBeErased', 'LogBucketSettingsOnlyByBreakGlassOrDeployment']));
    }
  });

  test('load balancer log delivery is held to this account: delivery.logs by aws:SourceAccount, the regional ELB account to this account\'s keys', () => {
    const [, policy] = resourcesOfType(json.Application!, 'AWS::S3::BucketPolicy').find(([id]) => id.startsWith('LoadBalancerLogs'))!;
    const allows = (policy.PolicyDocument.Statement as (Statement & { Principal: Record<string, string> })[]).filter((st) => st.Effect === 'Allow');
    expect(allows.map((st) => st.Sid).sort()).toEqual(['ElbLogDelivery', 'LogDeliveryAclCheck', 'LogDeliveryWrite']);
    for (const st of allows.filter((a) => a.Principal.Service)) expect(JSON.stringify(st.Condition!.StringEquals)).toContain('aws:SourceAccount');
    // eu-west-1 predates the log-delivery service principal: its ELB account, which takes no conditions, writes only under AWSLogs/<this account>/.
    const elb = allows.find((st) => st.Sid === 'ElbLogDelivery')!;
    expect(elb.Principal).toEqual({ AWS: 'arn:aws:iam::156460612806:root' });
    expect(JSON.stringify(elb.Resource)).toContain('/AWSLogs/');
  });

  test('a break-glass role and a copy in the Log Archive account, from config', () => {
    const breakGlass = 'arn:aws:iam::111111111111:role/log-break-glass';
    const variant = synthesize(
      configFrom('dev', (c) => {
        c.logArchive = {
          breakGlassRoleArn: breakGlass,
          replication: { bucketArn: 'arn:aws:s3:::org-log-archive-eu-west-1', account: '999999999999', keyArn: 'arn:aws:kms:eu-west-1:999999999999:key/22222222-2222-4222-8222-222222222222' },
        };
      }),
    ).json.Security!;
    const policy = (resourcesOfType(variant, 'AWS::S3::BucketPolicy').find(([id]) => id.startsWith('LogArchiveLogsPolicy'))![1].PolicyDocument as { Statement: Statement[] }).Statement;
    expect(policy.find((s) => s.Sid === 'LogsCannotBeErased')!.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': [breakGlass] } });
    expect(JSON.stringify(policy.find((s) => s.Sid === 'LogBucketSettingsOnlyByBreakGlassOrDeployment')!.Condition)).toContain(breakGlass);
    const logs = resourcesOfType(variant, 'AWS::S3::Bucket').find(([id]) => id.startsWith('LogArchiveLogs'))![1];
    expect(logs.ReplicationConfiguration.Rules).toEqual([
      expect.objectContaining({
        Status: 'Enabled',
        DeleteMarkerReplication: { Status: 'Disabled' },
        Destination: expect.objectContaining({ Bucket: 'arn:aws:s3:::org-log-archive-eu-west-1', Account: '999999999999', AccessControlTranslation: { Owner: 'Destination' } }),
      }),
    ]);
    const role = resourcesOfType(variant, 'AWS::IAM::Role').find(([id]) => id.startsWith('LogArchiveReplicationRole'))![1];
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('aws:SourceAccount');
    const rolePolicy = JSON.stringify(resourcesOfType(variant, 'AWS::IAM::ManagedPolicy').find(([id]) => id.startsWith('LogArchiveReplicationRole'))![1]);
    expect(rolePolicy).toContain('s3:GetObjectRetention');
    expect(rolePolicy).not.toContain('s3:ReplicateDelete');
  });
});
