import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ManagedPolicyRole } from '../../../src/constructs/lambda/managed-policy-role';
import { EvidenceBucket } from '../../../src/constructs/response/evidence-bucket';
import { buildChecked } from '../../helpers/nag';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('EvidenceBucket', () => {
  const { template, findings } = buildChecked(({ stack, key }) => {
    const accessLogs = s3.Bucket.fromBucketName(stack, 'AccessLogs', 'access-logs');
    const evidence = new EvidenceBucket(stack, 'Evidence', { bucketName: 'app-dev-evidence-111111111111', key: { kind: 'existing', key }, retentionDays: 90, accessLogBucket: accessLogs });
    const writer = new ManagedPolicyRole(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const reader = new ManagedPolicyRole(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    evidence.grantWrite(writer);
    evidence.grantRead(reader);
  });
  const policy: Json[] = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0]!.Properties.PolicyDocument.Statement;
  const exempted = (sid: string) => JSON.stringify(policy.find((st) => st.Sid === sid)!.Condition.ArnNotLike['aws:PrincipalArn']);

  test('uses an existing key when given one and creates none', () => {
    expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual([]);
    template.hasResourceProperties('AWS::S3::Bucket', { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 90 } } } });
  });

  test('a writer is exempted from the read and write denies; a reader from the read deny only', () => {
    expect(exempted('OnlyRespondersRead')).toMatch(/Writer.*Reader|Reader.*Writer/);
    expect(exempted('OnlyWorkflowsWrite')).toContain('Writer');
    expect(exempted('OnlyWorkflowsWrite')).not.toContain('Reader');
  });

  test('grants exact actions, never a delete', () => {
    const actions = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p: Json) => p.Properties.PolicyDocument.Statement.flatMap((st: Json) => [st.Action].flat()));
    expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject', 'kms:GenerateDataKey', 'kms:Decrypt']));
    expect(actions.filter((a: string) => a.includes('*') || a.startsWith('s3:Delete'))).toEqual([]);
  });

  test('has no finding beyond the wildcard object resource its grants name', () => {
    expect(findings.map((f) => f.rule).filter((rule) => !rule.startsWith('AwsSolutions-IAM5[Resource::<EvidenceBucket'))).toEqual([]);
  });

  test('refuses to exempt a principal that is not a role', () => {
    const stack = new Stack(new App(), 'S');
    const evidence = new EvidenceBucket(stack, 'Evidence', {
      bucketName: 'app-dev-evidence-111111111111',
      key: { kind: 'create', alias: 'app/dev/evidence', administrators: [], deploymentRole: 'arn:aws:iam::111111111111:role/deploy' },
      retentionDays: 90,
      accessLogBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', 'access-logs'),
    });
    expect(() => evidence.grantRead(new iam.User(stack, 'Someone'))).toThrow(/only roles can be allowed at the evidence bucket/);
  });
});
