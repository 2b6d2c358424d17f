import { KEY_AND_SECRET_EVENTS, WATCHED_CONFIGURATION_TYPES } from '../../../src/constructs/detection/finding-patterns';
import { synthesizeExample } from '../../helpers/app';
import { delivered, type SampleEvent } from '../../helpers/event-patterns';
import { type Moto, resetMoto } from '../../helpers/moto';

const ACCOUNT = '123456789012';

/** A CloudTrail management event as EventBridge carries it. */
function apiCall(name: string, eventSource: string, eventName: string, extra: Record<string, unknown> = {}): SampleEvent {
  const service = eventSource.split('.')[0]!;
  return {
    name,
    source: `aws.${service}`,
    detailType: 'AWS API Call via CloudTrail',
    detail: {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/sra-key-administrators/alice`, accountId: ACCOUNT },
      eventSource,
      eventName,
      awsRegion: 'eu-west-1',
      requestParameters: {},
      ...extra,
    },
  };
}

/** An AWS Config configuration item change; an oversized one carries a summary instead of the item. */
function configurationChange(name: string, resourceType: string, oversized = false): SampleEvent {
  const item = { resourceType, resourceId: 'id-1', awsRegion: 'eu-west-1', awsAccountId: ACCOUNT, configurationItemStatus: 'OK' };
  return {
    name,
    source: 'aws.config',
    detailType: 'Config Configuration Item Change',
    detail: oversized
      ? { messageType: 'OversizedConfigurationItemChangeNotification', configurationItemSummary: { ...item, changeType: 'UPDATE' } }
      : { messageType: 'ConfigurationItemChangeNotification', configurationItemDiff: { changeType: 'UPDATE', changedProperties: {} }, configurationItem: item },
  };
}

const patternOf = (description: RegExp) => {
  const { json } = synthesizeExample('dev');
  const rule = Object.values(json.Detection!.Resources).find((r) => r.Type === 'AWS::Events::Rule' && description.test(String(r.Properties!.Description)));
  if (!rule) throw new Error(`no rule described ${description}`);
  return rule.Properties!.EventPattern;
};

describe('routing of key and secret changes to the findings topic', () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await resetMoto();
  });

  test.each(['dev', 'prod'] as const)('both rules exist and reach the topic (%s)', (name) => {
    const { json } = synthesizeExample(name);
    const rules = Object.values(json.Detection!.Resources).filter((r) => r.Type === 'AWS::Events::Rule' && /secret|key/i.test(String(r.Properties!.Description)));
    for (const description of [/^Key policy, key state/, /^AWS Config recorded a change to a secret or a key/]) {
      const rule = rules.find((r) => description.test(String(r.Properties!.Description)));
      expect(JSON.stringify(rule?.Properties!.Targets)).toMatch(/RoutingTopic/);
    }
  });

  test('the CloudTrail rule delivers exactly the calls that weaken a key or a secret', async () => {
    const positives = Object.entries(KEY_AND_SECRET_EVENTS).flatMap(([source, names]) => names.map((n) => apiCall(n, source, n)));
    const negatives = [
      apiCall('kms-Decrypt', 'kms.amazonaws.com', 'Decrypt'),
      apiCall('kms-CreateKey', 'kms.amazonaws.com', 'CreateKey'),
      apiCall('sm-GetSecretValue', 'secretsmanager.amazonaws.com', 'GetSecretValue'),
      apiCall('sm-PutSecretValue', 'secretsmanager.amazonaws.com', 'PutSecretValue'),
      // The same name from another service is not a key or secret change.
      apiCall('s3-PutBucketPolicy', 's3.amazonaws.com', 'PutBucketPolicy'),
      { ...apiCall('sm-DeleteSecret-as-service-event', 'secretsmanager.amazonaws.com', 'DeleteSecret'), detailType: 'AWS Service Event via CloudTrail' },
    ];
    const names = await delivered(moto, 'key-secret-calls', patternOf(/^Key policy, key state/), [...positives, ...negatives]);
    expect(names).toEqual(positives.map((p) => p.name).sort());
    expect(names).toEqual(expect.arrayContaining(['PutKeyPolicy', 'DisableKey', 'ScheduleKeyDeletion', 'DisableKeyRotation', 'CancelRotateSecret', 'PutResourcePolicy', 'DeleteSecret']));
  });

  test('the grant rule delivers grants made by a principal, not those a service makes for a resource', async () => {
    const byPrincipal = apiCall('by principal', 'kms.amazonaws.com', 'CreateGrant');
    const byService = apiCall('by EC2 for a volume', 'kms.amazonaws.com', 'CreateGrant');
    (byService.detail.userIdentity as Record<string, unknown>).invokedBy = 'ec2.amazonaws.com';
    const other = apiCall('retire', 'kms.amazonaws.com', 'RetireGrant');
    expect(await delivered(moto, 'key-grants', patternOf(/^A KMS grant created by a principal/), [byPrincipal, byService, other])).toEqual(['by principal']);
  });

  test('the Config rule delivers configuration changes of secrets and keys only', async () => {
    const positives = [...WATCHED_CONFIGURATION_TYPES.map((t) => configurationChange(t, t)), configurationChange('oversized key', 'AWS::KMS::Key', true)];
    const negatives = [configurationChange('bucket', 'AWS::S3::Bucket'), configurationChange('role', 'AWS::IAM::Role'), configurationChange('oversized bucket', 'AWS::S3::Bucket', true)];
    const names = await delivered(moto, 'key-secret-configuration', patternOf(/^AWS Config recorded a change to a secret or a key/), [...positives, ...negatives]);
    expect(names).toEqual(['AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'oversized key']);
  });
});
