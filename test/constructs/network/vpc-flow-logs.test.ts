import { Match } from 'aws-cdk-lib/assertions';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

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

  test('the CloudWatch Logs option writes to a KMS-encrypted group with the configured retention', () => {
    const s = synthesize(
      configFrom('dev', (c) => {
        c.network.flowLogs = { destination: 'cloudWatchLogs', retentionDays: 30 };
      }),
    );
    s.templates.Network!.hasResourceProperties('AWS::EC2::FlowLog', { LogDestinationType: 'cloud-watch-logs', TrafficType: 'ALL' });
    s.templates.Network!.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, KmsKeyId: Match.anyValue() });
    const groups = resourcesOfType(s.json.Network!, 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(1);
  });

  test('S3 retention is the log bucket lifecycle', () => {
    const s = synthesize(configFrom('dev', (c) => (c.network.flowLogs.retentionDays = 731)));
    s.templates.Security!.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 731, Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }] })] },
    });
  });
});
