import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The key-policy and bucket-policy statements each AWS detection service
 * needs to deliver into this account's KMS-encrypted buckets, topics and
 * queues. Constructs add them to keys and buckets of their own stack; for a key
 * or bucket owned elsewhere (central mode) `addToResourcePolicy` is a no-op,
 * and its owner adds the same statements, which is why they live here as data.
 *
 * Every statement is limited to this account as source (`aws:SourceAccount`,
 * and `aws:SourceArn` where the service sets it), and is written with pseudo
 * parameters only, so adding it to a key in another stack creates no
 * cross-stack reference.
 */

const ACCOUNT = Aws.ACCOUNT_ID;
const PARTITION = Aws.PARTITION;
const REGION = Aws.REGION;
const fromThisAccount = { StringEquals: { 'aws:SourceAccount': ACCOUNT } };

/** GuardDuty findings export: the key encrypts exported findings. */
export function guardDutyExportKeyStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'GuardDutyEncryptsExportedFindings',
      principals: [new iam.ServicePrincipal('guardduty.amazonaws.com')],
      actions: ['kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { ...fromThisAccount, ArnLike: { 'aws:SourceArn': guardDutyDetectorArns() } },
    }),
  ];
}

/** GuardDuty findings export: write under `prefix/` of the bucket, and find its location. */
export function guardDutyExportBucketStatements(bucketArn: string, prefix: string): iam.PolicyStatement[] {
  const principals = [new iam.ServicePrincipal('guardduty.amazonaws.com')];
  const conditions = { ...fromThisAccount, ArnLike: { 'aws:SourceArn': guardDutyDetectorArns() } };
  return [
    new iam.PolicyStatement({ sid: 'GuardDutyBucketLocation', principals, actions: ['s3:GetBucketLocation'], resources: [bucketArn], conditions }),
    new iam.PolicyStatement({ sid: 'GuardDutyExportFindings', principals, actions: ['s3:PutObject'], resources: [`${bucketArn}/${prefix}/*`], conditions }),
  ];
}

/** AWS Config delivery channel: configuration history and snapshots, encrypted with the key. */
export function configDeliveryKeyStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ConfigEncryptsDeliveries',
      principals: [new iam.ServicePrincipal('config.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: fromThisAccount,
    }),
  ];
}

/** AWS Config delivery channel (service-linked role): check the bucket, then write under `prefix/AWSLogs/<account>/Config/`. */
export function configDeliveryBucketStatements(bucketArn: string, prefix: string): iam.PolicyStatement[] {
  const principals = [new iam.ServicePrincipal('config.amazonaws.com')];
  return [
    new iam.PolicyStatement({ sid: 'ConfigBucketPermissionsCheck', principals, actions: ['s3:GetBucketAcl'], resources: [bucketArn], conditions: fromThisAccount }),
    new iam.PolicyStatement({ sid: 'ConfigBucketExistenceCheck', principals, actions: ['s3:ListBucket'], resources: [bucketArn], conditions: fromThisAccount }),
    new iam.PolicyStatement({
      sid: 'ConfigBucketDelivery',
      principals,
      actions: ['s3:PutObject'],
      resources: [`${bucketArn}/${prefix}/AWSLogs/${ACCOUNT}/Config/*`],
      conditions: { StringEquals: { 'aws:SourceAccount': ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }),
  ];
}

/**
 * CloudTrail: encrypt log files for trails of this account (the encryption
 * context names the trail), and describe the key when a trail is created or
 * updated. Reading log files back goes through S3 and the key's usual grants.
 */
export function cloudTrailKeyStatements(): iam.PolicyStatement[] {
  const principals = [new iam.ServicePrincipal('cloudtrail.amazonaws.com')];
  const trails = `arn:${PARTITION}:cloudtrail:${REGION}:${ACCOUNT}:trail/*`;
  return [
    new iam.PolicyStatement({
      sid: 'CloudTrailEncryptsLogFiles',
      principals,
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        ...fromThisAccount,
        ArnLike: { 'aws:SourceArn': trails },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${PARTITION}:cloudtrail:*:${ACCOUNT}:trail/*` },
      },
    }),
    new iam.PolicyStatement({
      sid: 'CloudTrailDescribesKey',
      principals,
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { ...fromThisAccount, ArnLike: { 'aws:SourceArn': trails } },
    }),
  ];
}

/**
 * EventBridge (rule targets and their dead-letter queues) and CloudWatch
 * (alarm actions) publishing to an encrypted SNS topic or SQS queue of this
 * account: they encrypt the message with a data key of this key.
 */
export function eventDeliveryKeyStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'EventBridgeAndAlarmsPublishEncrypted',
      principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      // Each service sends its own resource as source: a rule of this account, or an alarm of this account.
      conditions: {
        ...fromThisAccount,
        ArnLike: { 'aws:SourceArn': [`arn:${PARTITION}:events:${REGION}:${ACCOUNT}:rule/*`, `arn:${PARTITION}:cloudwatch:${REGION}:${ACCOUNT}:alarm:*`] },
      },
    }),
  ];
}

/** Where Macie writes from in this account: the export configuration (automated discovery) and classification jobs. */
function macieSources(): string[] {
  return [`arn:${PARTITION}:macie2:${REGION}:${ACCOUNT}:export-configuration:*`, `arn:${PARTITION}:macie2:${REGION}:${ACCOUNT}:classification-job/*`];
}

/** Macie sensitive data discovery results: the key encrypts each result file. */
export function macieExportKeyStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'MacieEncryptsDiscoveryResults',
      principals: [new iam.ServicePrincipal('macie.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Encrypt'],
      resources: ['*'],
      conditions: { ...fromThisAccount, ArnLike: { 'aws:SourceArn': macieSources() } },
    }),
  ];
}

/**
 * Macie sensitive data discovery results: find the bucket, write under
 * `prefix/`, and only SSE-KMS with `keyArn` (Macie's documented policy: a
 * result written any other way is refused).
 */
export function macieExportBucketStatements(bucketArn: string, prefix: string, keyArn: string): iam.PolicyStatement[] {
  const principals = [new iam.ServicePrincipal('macie.amazonaws.com')];
  const conditions = { ...fromThisAccount, ArnLike: { 'aws:SourceArn': macieSources() } };
  const objects = `${bucketArn}/${prefix}/*`;
  return [
    new iam.PolicyStatement({ sid: 'MacieBucketLocation', principals, actions: ['s3:GetBucketLocation'], resources: [bucketArn], conditions }),
    new iam.PolicyStatement({ sid: 'MacieWritesDiscoveryResults', principals, actions: ['s3:PutObject'], resources: [objects], conditions }),
    new iam.PolicyStatement({
      sid: 'MacieResultsOnlySseKms',
      effect: iam.Effect.DENY,
      principals,
      actions: ['s3:PutObject'],
      resources: [objects],
      conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    }),
    new iam.PolicyStatement({
      sid: 'MacieResultsOnlyLogsKey',
      effect: iam.Effect.DENY,
      principals,
      actions: ['s3:PutObject'],
      resources: [objects],
      conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } },
    }),
  ];
}

/** Adds each statement to a key's or bucket's resource policy (a no-op for imported ones), returning what the caller must wait for. */
export function addStatements(target: { addToResourcePolicy(s: iam.PolicyStatement): iam.AddToResourcePolicyResult }, statements: readonly iam.PolicyStatement[]): iam.AddToResourcePolicyResult[] {
  return statements.map((s) => target.addToResourcePolicy(s));
}

function guardDutyDetectorArns(): string {
  return `arn:${PARTITION}:guardduty:${REGION}:${ACCOUNT}:detector/*`;
}
