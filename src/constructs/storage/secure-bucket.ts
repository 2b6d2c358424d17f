import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export type BucketEncryption =
  /** SSE-KMS with a customer-managed key and S3 Bucket Keys (the default for everything that allows it). */
  | { readonly kind: 'kms'; readonly key: kms.IKey }
  /** SSE-S3, only where the writing service cannot use a customer-managed key; `why` says which. */
  | { readonly kind: 's3-managed'; readonly why: string };

export interface SecureBucketProps {
  readonly encryption: BucketEncryption;
  /** A fixed name, only where a service requires one (WAF log buckets start with `aws-waf-logs-`). @default - generated */
  readonly bucketName?: string;
  /** Where S3 server access logs for this bucket go. Omit only for the access-log bucket itself. */
  readonly serverAccessLogs?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /** Objects expire after this many days. @default - kept until deleted */
  readonly expireAfterDays?: number;
  /** Objects move to S3 Glacier Flexible Retrieval after this many days. @default - never */
  readonly archiveAfterDays?: number;
  /** Days a replaced or deleted object version is kept. @default 90 */
  readonly noncurrentVersionDays?: number;
  /**
   * Object Lock. The capability is switched on for every bucket given this
   * prop, even without default retention, because adding it later replaces the bucket.
   * @default - no Object Lock
   */
  readonly objectLock?: { readonly defaultRetention?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number } };
  /**
   * Shorter expiry for objects under a key prefix (for example flow logs in a bucket that keeps audit logs longer).
   * S3 applies the earliest expiration of overlapping rules. @default - none
   */
  readonly expireByPrefix?: readonly { readonly prefix: string; readonly days: number }[];
  /** Same-region replication, written by the caller (see log-replication.ts). @default - none */
  readonly replication?: s3.CfnBucket.ReplicationConfigurationProperty;
}

/**
 * An S3 bucket with every protection chosen explicitly instead of inherited
 * from defaults: all four Block Public Access settings, ACLs disabled, TLS 1.2+
 * only, versioning, lifecycle, access logging and RETAIN.
 */
export class SecureBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const kmsEncrypted = props.encryption.kind === 'kms';
    const accessLogs = props.serverAccessLogs && accessLogTarget(this, props.serverAccessLogs.bucket);
    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketName: props.bucketName,
      encryption: kmsEncrypted ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: props.encryption.kind === 'kms' ? props.encryption.key : undefined,
      bucketKeyEnabled: kmsEncrypted,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockEnabled: props.objectLock ? true : undefined,
      objectLockDefaultRetention: props.objectLock?.defaultRetention
        ? props.objectLock.defaultRetention.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(Duration.days(props.objectLock.defaultRetention.days))
          : s3.ObjectLockRetention.governance(Duration.days(props.objectLock.defaultRetention.days))
        : undefined,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: props.serverAccessLogs?.prefix,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'retention',
          enabled: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 90),
          expiration: props.expireAfterDays ? Duration.days(props.expireAfterDays) : undefined,
          transitions:
            props.archiveAfterDays !== undefined && (props.expireAfterDays ?? Infinity) > props.archiveAfterDays + 90
              ? [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(props.archiveAfterDays) }]
              : undefined,
        },
        ...(props.expireByPrefix ?? []).map(({ prefix, days }) => ({
          id: `retention-${prefix.replace(/[^A-Za-z0-9-]/g, '')}`,
          enabled: true,
          prefix,
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 90),
          expiration: Duration.days(days),
        })),
      ],
    });
    if (props.replication) (this.bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = props.replication;
    if (accessLogs !== props.serverAccessLogs?.bucket) {
      Annotations.of(this.bucket).acknowledgeWarning('@aws-cdk/aws-s3:accessLogsPolicyNotAdded', "The access-log bucket's own stack admits S3 log delivery from this account (LogArchive)");
    }
  }
}

/**
 * The access-log bucket as this bucket should name it. A bucket of another
 * stack is named by attributes only: the CDK would otherwise write a
 * log-delivery statement into the target's policy without `aws:SourceAccount`
 * (it adds the conditions only within one stack); the target's owner admits
 * `logging.s3.amazonaws.com` for the whole account instead.
 */
function accessLogTarget(scope: Construct, target: s3.IBucket): s3.IBucket {
  if (!(target instanceof s3.Bucket) || Stack.of(target) === Stack.of(scope)) return target;
  return s3.Bucket.fromBucketAttributes(scope, 'AccessLogTarget', { bucketArn: target.bucketArn, bucketName: target.bucketName });
}
