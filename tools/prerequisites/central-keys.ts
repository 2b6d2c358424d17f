import type { EnvironmentSettings } from '../../src/config';
import { KEY_PURPOSES, type KeyPurpose, PURPOSES } from '../../src/constructs/keys/key-ring';
import { allResources, type Located, mentions, resolveResource, type StackTemplate } from './templates';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A key-policy statement for the security account to add, as KMS reads it. */
export interface KeyPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: { readonly AWS: string } | { readonly Service: string };
  readonly Action: readonly string[];
  readonly Resource: '*';
  readonly Condition: Record<string, Record<string, string | readonly string[]>>;
}

/** Why a statement is needed: the resource of this account that uses the key. */
export interface KeyUse {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly use: string;
}

export interface KeyPrerequisites {
  readonly purpose: KeyPurpose;
  readonly keyArn: string;
  readonly statements: readonly KeyPolicyStatement[];
  readonly usedBy: readonly KeyUse[];
  /**
   * Roles of this account whose IAM policies grant use of the key. The key policy admits the account, and
   * these policies pick the roles; a key with a purpose's services admits them only through those services.
   */
  readonly roles: readonly { readonly stack: string; readonly role: string; readonly actions: readonly string[]; readonly viaService: boolean }[];
}

/** A KMS grant this account creates itself (a custom resource), on a key it does not own. */
export interface GrantFromThisAccount {
  readonly purpose: KeyPurpose | 'other';
  readonly keyArn: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly name: unknown;
  readonly grantee: string;
  readonly operations: readonly string[];
}

export interface EnvironmentPrerequisites {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly keys: readonly KeyPrerequisites[];
  readonly grants: readonly GrantFromThisAccount[];
}

/** The actions a key user needs, as the key ring's own policies list them. */
const USE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
const GRANTS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

/**
 * How each resource type uses a key: through which service this account's
 * principals call KMS, and whether that service holds grants on it (RDS,
 * EBS, Backup, Lambda and DynamoDB do). A type missing here stops the command, so a new
 * use of a central key cannot go unlisted.
 */
const VIA: Readonly<Record<string, { service: string; grants: boolean; use: string }>> = {
  'AWS::RDS::DBCluster': { service: 'rds', grants: true, use: 'Aurora storage and Performance Insights' },
  'AWS::RDS::DBInstance': { service: 'rds', grants: true, use: 'RDS storage' },
  'AWS::EC2::LaunchTemplate': { service: 'ec2', grants: true, use: 'EBS volumes of the fleet' },
  'Custom::EbsDefaultKey': { service: 'ec2', grants: true, use: "the account's default EBS key" },
  'AWS::S3::Bucket': { service: 's3', grants: false, use: 'S3 objects (SSE-KMS)' },
  // Athena writes query results with the caller's credentials through S3.
  'AWS::Athena::WorkGroup': { service: 's3', grants: false, use: 'Athena query results (SSE-KMS, through S3)' },
  'AWS::SecretsManager::Secret': { service: 'secretsmanager', grants: false, use: 'a Secrets Manager secret' },
  'AWS::Serverless::Application': { service: 'secretsmanager', grants: false, use: 'secret rotation' },
  'AWS::Backup::BackupVault': { service: 'backup', grants: true, use: 'AWS Backup recovery points' },
  'AWS::SNS::Topic': { service: 'sns', grants: false, use: 'an SNS topic' },
  'AWS::SQS::Queue': { service: 'sqs', grants: false, use: 'an SQS queue' },
  'AWS::Lambda::Function': { service: 'lambda', grants: true, use: 'Lambda environment variables' },
  // DynamoDB creates a grant on a customer managed key for each table it encrypts with it.
  'AWS::DynamoDB::Table': { service: 'dynamodb', grants: true, use: 'a DynamoDB table (the token vault)' },
};
/** Types whose reference to a key is handled on its own below. */
// A bucket policy names the data key only to refuse uploads under any other key; the key's policy needs nothing for it.
const OTHER = new Set(['AWS::Logs::LogGroup', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'Custom::KmsGrant', 'AWS::S3::BucketPolicy']);

/**
 * The key-policy statements the security account must add to each central
 * key for one environment, derived from its synthesized templates: which
 * resources name the key, which services deliver into them, which roles use
 * it. Returns no keys in local mode (the stacks write their own key policies).
 */
export function centralKeyPrerequisites(settings: EnvironmentSettings, stacks: readonly StackTemplate[]): EnvironmentPrerequisites {
  const { account, region } = settings;
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const central = settings.keys.mode === 'central' ? settings.keys.centralKeyArns : undefined;
  const keyArns: Partial<Record<KeyPurpose, string>> = central ?? {};
  const sid = (suffix: string) => `${pascal(settings.appName)}${pascal(settings.name)}${suffix}`;
  const root = { AWS: `arn:${partition}:iam::${account}:root` };
  const sourceAccount = { 'aws:SourceAccount': account };

  const keys: KeyPrerequisites[] = [];
  for (const purpose of KEY_PURPOSES) {
    const keyArn = keyArns[purpose];
    if (!keyArn) continue;
    const usedBy: KeyUse[] = [];
    const via = new Set<string>();
    const grantVia = new Set<string>();
    const logGroups = new Set<string>();
    const buckets: Located[] = [];
    const topicsAndQueues: Located[] = [];
    const roles: KeyPrerequisites['roles'][number][] = [];
    const directActions = new Set<string>();
    let autoScalingGrant: Json | undefined;

    for (const { stack, logicalId, resource } of allResources(stacks)) {
      if (!mentions(resource.Properties, keyArn)) continue;
      const p = resource.Properties ?? {};
      const record = (use: string) => usedBy.push({ stack: stack.id, logicalId, type: resource.Type, use });
      const how = VIA[resource.Type];
      if (how) {
        via.add(how.service);
        if (how.grants) grantVia.add(how.service);
        record(how.use);
        if (resource.Type === 'AWS::S3::Bucket') buckets.push({ stack, logicalId });
        if (resource.Type === 'AWS::SNS::Topic' || resource.Type === 'AWS::SQS::Queue') topicsAndQueues.push({ stack, logicalId });
      } else if (resource.Type === 'AWS::Logs::LogGroup') {
        // A group without a name gets `<stack name>-<logical id>-<suffix>` from CloudFormation.
        const name = typeof p.LogGroupName === 'string' ? p.LogGroupName : `${stack.stackName}-*`;
        logGroups.add(`arn:${partition}:logs:${region}:${account}:log-group:${name}`);
        record('a CloudWatch Logs group');
      } else if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
        for (const statement of p.PolicyDocument.Statement as Json[]) {
          if (statement.Effect !== 'Allow' || !mentions(statement.Resource, keyArn)) continue;
          const actions = [statement.Action].flat() as string[];
          const viaService = JSON.stringify(statement.Condition ?? {}).includes('kms:ViaService');
          for (const role of [p.Roles ?? []].flat() as unknown[]) {
            const located = resolveResource(role, stack, stacks);
            roles.push({ stack: stack.id, role: located?.logicalId ?? JSON.stringify(role), actions, viaService });
          }
          if (!viaService) for (const a of actions) if (!['kms:CreateGrant', 'kms:RetireGrant'].includes(a)) directActions.add(a);
        }
      } else if (resource.Type === 'Custom::KmsGrant') {
        autoScalingGrant = p;
        record('a KMS grant this account creates (see grants)');
      } else if (!OTHER.has(resource.Type)) {
        throw new Error(`${stack.id}/${logicalId} (${resource.Type}) names the ${purpose} key, and it is not known which statement that needs; add the type to tools/prerequisites/central-keys.ts`);
      }
    }

    const statements: KeyPolicyStatement[] = [];
    const callerAccount = { 'kms:CallerAccount': account };
    if (via.size > 0) {
      statements.push({
        Sid: sid('UseViaServices'),
        Effect: 'Allow',
        Principal: root,
        Action: USE,
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': [...via].sort().map((s) => `${s}.${region}.amazonaws.com`), ...callerAccount } },
      });
    }
    if (grantVia.size > 0) {
      statements.push({
        Sid: sid('GrantsForAwsResources'),
        Effect: 'Allow',
        Principal: root,
        Action: GRANTS,
        Resource: '*',
        Condition: {
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
          StringEquals: { 'kms:ViaService': [...grantVia].sort().map((s) => `${s}.${region}.amazonaws.com`), ...callerAccount },
        },
      });
    }
    // As in local mode: roles use a key directly only under its purpose's encryption context (operations: Session Manager).
    if (directActions.size > 0) {
      for (const [i, contextKey] of (PURPOSES[purpose].directUseEncryptionContextKeys ?? []).entries()) {
        statements.push({
          Sid: sid(`DirectUseWithEncryptionContext${i ? String.fromCharCode(65 + i) : ''}`),
          Effect: 'Allow',
          Principal: root,
          Action: [...directActions].sort(),
          Resource: '*',
          Condition: { StringEquals: callerAccount, Null: { [`kms:EncryptionContext:${contextKey}`]: 'false' } },
        });
      }
    }
    if (logGroups.size > 0) {
      statements.push({
        Sid: sid('CloudWatchLogs'),
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': [...logGroups].sort() } },
      });
    }
    const deliveries = logDeliveriesInto(buckets, stacks);
    if (deliveries.length > 0) {
      for (const d of deliveries) usedBy.push(d);
      statements.push({
        Sid: sid('LogDelivery'),
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: sourceAccount, ArnLike: { 'aws:SourceArn': `arn:${partition}:logs:${region}:${account}:*` } },
      });
    }
    const publishers = servicePublishersInto(topicsAndQueues, stacks);
    for (const [service, sources] of publishers) {
      for (const s of sources) usedBy.push(s);
      const sourceArn = { events: `arn:${partition}:events:${region}:${account}:rule/*`, cloudwatch: `arn:${partition}:cloudwatch:${region}:${account}:alarm:*`, sns: `arn:${partition}:sns:${region}:${account}:*` }[service];
      statements.push({
        Sid: sid({ events: 'EventBridgeDelivery', cloudwatch: 'CloudWatchAlarmDelivery', sns: 'SnsDelivery' }[service]),
        Effect: 'Allow',
        Principal: { Service: `${service}.amazonaws.com` },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: sourceAccount, ArnLike: { 'aws:SourceArn': sourceArn } },
      });
    }
    if (autoScalingGrant) {
      statements.push({
        Sid: sid('AutoScalingGrantFromThisAccount'),
        Effect: 'Allow',
        Principal: root,
        Action: ['kms:CreateGrant'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:GranteePrincipal': renderArn(autoScalingGrant.GranteePrincipal, partition), ...callerAccount },
          'ForAllValues:StringEquals': { 'kms:GrantOperations': autoScalingGrant.Operations as string[] },
        },
      });
    }
    keys.push({ purpose, keyArn, statements, usedBy, roles });
  }

  const grants: GrantFromThisAccount[] = [];
  for (const { stack, logicalId, resource } of allResources(stacks)) {
    if (resource.Type !== 'Custom::KmsGrant') continue;
    const p = resource.Properties ?? {};
    const purpose = KEY_PURPOSES.find((k) => keyArns[k] === p.KeyArn) ?? (p.KeyArn === settings.keys.hsmBackedKeyArns.data ? 'data' : 'other');
    grants.push({ purpose, keyArn: p.KeyArn, stack: stack.id, logicalId, name: p.Name, grantee: renderArn(p.GranteePrincipal, partition), operations: p.Operations });
  }
  return { environment: settings.name, account, region, keys, grants };
}

/** Flow logs and WAF logs delivered into the given buckets: the log delivery service writes them with the key. */
function logDeliveriesInto(buckets: readonly Located[], stacks: readonly StackTemplate[]): KeyUse[] {
  const found: KeyUse[] = [];
  const isBucket = (l: Located | undefined) => l && buckets.some((b) => b.stack === l.stack && b.logicalId === l.logicalId);
  for (const { stack, logicalId, resource } of allResources(stacks)) {
    const p = resource.Properties ?? {};
    if (resource.Type === 'AWS::EC2::FlowLog' && p.LogDestinationType === 's3' && isBucket(resolveResource(p.LogDestination, stack, stacks))) {
      found.push({ stack: stack.id, logicalId, type: resource.Type, use: 'VPC flow logs delivered to S3 by delivery.logs.amazonaws.com' });
    }
    if (resource.Type === 'AWS::WAFv2::LoggingConfiguration' && (p.LogDestinationConfigs as unknown[]).some((d) => isBucket(resolveResource(d, stack, stacks)))) {
      found.push({ stack: stack.id, logicalId, type: resource.Type, use: 'WAF logs delivered to S3 by delivery.logs.amazonaws.com' });
    }
  }
  return found;
}

/** EventBridge rules, CloudWatch alarms and SNS subscriptions that deliver into the given topics and queues. */
function servicePublishersInto(targets: readonly Located[], stacks: readonly StackTemplate[]): Map<'events' | 'cloudwatch' | 'sns', KeyUse[]> {
  const found = new Map<'events' | 'cloudwatch' | 'sns', KeyUse[]>();
  const isTarget = (value: unknown, stack: StackTemplate) => {
    const l = resolveResource(value, stack, stacks);
    return l !== undefined && targets.some((t) => t.stack === l.stack && t.logicalId === l.logicalId);
  };
  const add = (service: 'events' | 'cloudwatch' | 'sns', use: KeyUse) => found.set(service, [...(found.get(service) ?? []), use]);
  for (const { stack, logicalId, resource } of allResources(stacks)) {
    const p = resource.Properties ?? {};
    if (resource.Type === 'AWS::Events::Rule') {
      const hits = ((p.Targets ?? []) as Json[]).some((t) => isTarget(t.Arn, stack) || isTarget(t.DeadLetterConfig?.Arn, stack));
      if (hits) add('events', { stack: stack.id, logicalId, type: resource.Type, use: 'EventBridge delivers to an encrypted topic or dead-letter queue' });
    }
    if (resource.Type === 'AWS::CloudWatch::Alarm') {
      const actions = [...(p.AlarmActions ?? []), ...(p.OKActions ?? []), ...(p.InsufficientDataActions ?? [])] as unknown[];
      if (actions.some((a) => isTarget(a, stack))) add('cloudwatch', { stack: stack.id, logicalId, type: resource.Type, use: 'CloudWatch alarm publishes to an encrypted topic' });
    }
    if (resource.Type === 'AWS::SNS::Subscription' && isTarget(p.RedrivePolicy?.deadLetterTargetArn, stack)) {
      add('sns', { stack: stack.id, logicalId, type: resource.Type, use: 'SNS sends undeliverable messages to an encrypted queue' });
    }
  }
  return found;
}

/** An ARN the template writes as a join with the partition, as a plain string. */
function renderArn(value: unknown, partition: string): string {
  if (typeof value === 'string') return value;
  const join = (value as Json)?.['Fn::Join'];
  if (Array.isArray(join)) return (join[1] as unknown[]).map((part) => (typeof part === 'string' ? part : (part as Json).Ref === 'AWS::Partition' ? partition : JSON.stringify(part))).join(join[0]);
  return JSON.stringify(value);
}

function pascal(text: string): string {
  return text.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}
