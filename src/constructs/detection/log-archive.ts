import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeAll } from '../../compliance';
import { acknowledgeInRegionLogs } from '../storage/log-replication';
import { SecureBucket } from '../storage/secure-bucket';

export interface LogArchiveProps {
  /** The logs key of the key ring. */
  readonly key: kms.IKey;
  /** Days log objects are kept before they expire. */
  readonly retentionDays: number;
}

/**
 * The account's log store: a bucket encrypted with the logs key for service logs (VPC flow logs first; CloudTrail, Config and the
 * others later), and the bucket that receives S3 server access logs.
 */
export class LogArchive extends Construct {
  /** Encrypts every log this account keeps. */
  readonly key: kms.IKey;
  /** Service logs, SSE-KMS with `key`. */
  readonly logBucket: s3.IBucket;
  /** S3 server access logs of every bucket in the account. */
  readonly accessLogBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const key = props.key;
    this.key = key;

    // S3 server access logging can only deliver to SSE-S3 buckets, so this one bucket cannot use the logs key.
    const accessLogs = new SecureBucket(this, 'AccessLogs', {
      encryption: { kind: 's3-managed', why: 'S3 server access log delivery does not support SSE-KMS target buckets' },
      expireAfterDays: props.retentionDays,
      archiveAfterDays: 90,
    });
    acknowledgeAll(
      accessLogs,
      ['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'PCI.DSS.321-S3BucketLoggingEnabled', 'HIPAA.Security-S3BucketLoggingEnabled'],
      'This is the server access log bucket; logging its own writes into itself would loop, so it is the one bucket without access logs',
    );
    acknowledgeAll(
      accessLogs,
      ['NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS'],
      'S3 server access log delivery only writes to SSE-S3 buckets; the objects hold request metadata, not application data',
    );
    this.accessLogBucket = accessLogs.bucket;

    this.logBucket = new SecureBucket(this, 'Logs', {
      encryption: { kind: 'kms', key },
      serverAccessLogs: { bucket: accessLogs.bucket, prefix: 'logs-bucket/' },
      expireAfterDays: props.retentionDays,
      archiveAfterDays: 90,
    }).bucket;

    this.allowLogDelivery(key);
    acknowledgeInRegionLogs(this);
  }

  /**
   * Lets the log delivery services encrypt with the logs key, only for log
   * sources in this account: VPC flow logs to S3 (delivery.logs) and
   * CloudWatch Logs groups (logs.<region>). A key owned by the security
   * account (central mode) ignores these; its policy must carry the same.
   */
  private allowLogDelivery(key: kms.IKey): void {
    const account = Aws.ACCOUNT_ID;
    const region = Stack.of(this).region;
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LogDeliveryToS3',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${region}:${account}:*` },
        },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsGroups',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${region}:${account}:log-group:*` },
        },
      }),
    );
  }
}
