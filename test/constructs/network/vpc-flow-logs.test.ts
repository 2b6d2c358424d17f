import { Match } from 'aws-cdk-lib/assertions';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw template values */

/** A template value as a string, with the stack's own attributes filled in: enough to match a policy's resource pattern. */
function flatten(value: any, account: string): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as any[]).map((v) => flatten(v, account)).join(value['Fn::Join'][0]);
  if (value['Fn::GetAtt']) return `arn:aws:s3:::${value['Fn::GetAtt'][0]}`;
  if (value.Ref === 'AWS::AccountId') return account;
  if (value.Ref === 'AWS::Partition') return 'aws';
  throw new Error(`unexpected template value ${JSON.stringify(value)}`);
}

/** IAM's wildcard matching of a resource pattern: `*` is any run of characters, `?` any one. */
function admits(pattern: string, arn: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}

describe('VpcFlowLogs', () => {
  test('log ALL traffic of the VPC to the KMS-encrypted log bucket with the full record', () => {
    const { templates } = synthesizeExample('dev');
    templates.Network!.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      MaxAggregationInterval: 60,
      LogFormat: Match.stringLikeRegexp('\\$\\{pkt-srcaddr\\}.*\\$\\{flow-direction\\}.*\\$\\{traffic-path\\}'),
      LogDestination: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/vpc-flow-logs/'])]) }),
    });
    templates.Security!.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
    });
  });

  // aws/aws-cdk#25432: the CDK writes these keys in camelCase, which CloudFormation's schema refuses.
  test('S3 destination options use the PascalCase keys of the CloudFormation schema, and only those', () => {
    const [[, flowLog]] = resourcesOfType(synthesizeExample('dev').json.Network!, 'AWS::EC2::FlowLog') as [[string, any]];
    expect(flowLog.DestinationOptions).toEqual({ FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true });
  });

  describe('the log bucket admits and keeps the objects where flow logs really land', () => {
    const account = '111111111111';
    const region = 'eu-west-1';
    const { json } = synthesizeExample('dev');
    const [bucketId] = resourcesOfType(json.Security!, 'AWS::S3::Bucket').find(([id]) => id.startsWith('LogArchiveLogs'))!;
    // VPC Flow Logs user guide, "Flow log files": Hive-compatible prefixes with hourly partitions, Parquet files.
    const key =
      `vpc-flow-logs/AWSLogs/aws-account-id=${account}/aws-service=vpcflowlogs/aws-region=${region}/year=2026/month=12/day=01/hour=04/` +
      `${account}_vpcflowlogs_${region}_fl-0123456789abcdef0_20261201T0400Z_0a1b2c3d.log.parquet`;
    const objectArn = `arn:aws:s3:::${bucketId}/${key}`;

    test('the delivery statement of the bucket policy admits that exact path, and not the path without partitions', () => {
      const [, policy] = resourcesOfType(json.Security!, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Bucket).includes(bucketId))!;
      const delivery = (policy.PolicyDocument.Statement as any[]).filter(
        (s) => s.Effect === 'Allow' && s.Principal?.Service === 'delivery.logs.amazonaws.com' && [s.Action].flat().includes('s3:PutObject'),
      );
      expect(delivery).toHaveLength(1);
      const patterns = [delivery[0].Resource].flat().map((r) => flatten(r, account));
      expect(patterns.some((p) => admits(p, objectArn))).toBe(true);
      const plain = `arn:aws:s3:::${bucketId}/vpc-flow-logs/AWSLogs/${account}/vpcflowlogs/${region}/2026/12/01/04/x.log.parquet`;
      expect(patterns.some((p) => admits(p, plain))).toBe(false);
    });

    test('the lifecycle rule that expires log objects covers that path', () => {
      const bucket = json.Security!.Resources[bucketId]!.Properties as any;
      const expiring = (bucket.LifecycleConfiguration.Rules as any[]).filter((r) => r.Status === 'Enabled' && r.ExpirationInDays === 90);
      expect(expiring.length).toBeGreaterThan(0);
      for (const rule of expiring) {
        const prefix: string = rule.Prefix ?? rule.Filter?.Prefix ?? '';
        expect(key.startsWith(prefix)).toBe(true);
        expect(rule.TagFilters ?? rule.Filter?.TagFilters).toBeUndefined();
      }
    });
  });

  test('the CloudWatch Logs option writes to a KMS-encrypted group with the configured retention', () => {
    const s = synthesize(
      configFrom('dev', (c) => {
        c.network.flowLogs = { destination: 'cloudWatchLogs', retentionDays: 30 };
      }),
    );
    s.templates.Network!.hasResourceProperties('AWS::EC2::FlowLog', { LogDestinationType: 'cloud-watch-logs', TrafficType: 'ALL', DestinationOptions: Match.absent() });
    s.templates.Network!.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, KmsKeyId: Match.anyValue() });
    // The flow log writes to its own group (the VPC baseline function has another).
    const groups = resourcesOfType(s.json.Network!, 'AWS::Logs::LogGroup').filter(([id]) => id.startsWith('FlowLogs'));
    expect(groups).toHaveLength(1);
    expect(groups[0]![1]).toMatchObject({ RetentionInDays: 30, KmsKeyId: expect.anything() });
    const [, flowLog] = resourcesOfType(s.json.Network!, 'AWS::EC2::FlowLog')[0]!;
    expect(flowLog.LogGroupName).toEqual({ Ref: groups[0]![0] });
  });

  test('S3 retention is the log bucket lifecycle', () => {
    const s = synthesize(configFrom('dev', (c) => (c.network.flowLogs.retentionDays = 731)));
    s.templates.Security!.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 731, Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }] })] },
    });
  });
});
