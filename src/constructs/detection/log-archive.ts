import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeAll } from '../../compliance';
import { type LogBucketProtection, protectLogBucket } from '../storage/log-protection';
import { acknowledgeInRegionLogs, LogReplication, type LogReplicationDestination } from '../storage/log-replication';
import { SecureBucket } from '../storage/secure-bucket';
import { configDeliveryBucketStatements } from './service-delivery-policies';

export interface LogArchiveProps {
  /** The logs key of the key ring. */
  readonly key: kms.IKey;
  /** Days audit logs (CloudTrail, Config, S3 server access logs) are kept: at least 365. */
  readonly auditRetentionDays: number;
  /** Flow logs: their key prefix and their own, possibly shorter, retention. */
  readonly flowLogs: { readonly prefix: string; readonly retentionDays: number };
  /**
   * Object Lock default retention on the log bucket; `days` must not exceed the shortest retention in the bucket
   * (lifecycle cannot expire a locked object version).
   */
  readonly objectLock: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
  /** The only role that may delete log objects or change the buckets' policy, lifecycle, lock and versioning. @default - nobody */
  readonly breakGlassRoleArn?: string;
  /** The CloudFormation execution role: it alone (besides break-glass) may change bucket settings, so stack updates still apply. */
  readonly deploymentRoleArn: string;
  /** This account writes its own CloudTrail trail and Config history here (standalone mode). */
  readonly auditDelivery: boolean;
  /** The Config delivery channel writing here is this stack's (not an adopted one, which keeps its own bucket). @default auditDelivery */
  readonly configDelivery?: boolean;
  /** Copy every new log object to the organization's Log Archive bucket. @default - no copy */
  readonly replication?: LogReplicationDestination;
}

/**
 * The account's log store: a bucket encrypted with the logs key for service
 * logs (VPC flow logs; CloudTrail and Config in standalone mode) under S3
 * Object Lock, with audit logs kept at least a year and flow logs for their
 * own period, and the bucket that receives S3 server access logs (which S3
 * cannot deliver to a locked or SSE-KMS bucket). Both deny deletes and changes
 * to their policy, lifecycle, lock and versioning to all but a break-glass role.
 */
export class LogArchive extends Construct {
  /** Encrypts every log this account keeps. */
  readonly key: kms.IKey;
  /** Service logs, SSE-KMS with `key`, Object Lock on. */
  readonly logBucket: s3.IBucket;
  /**
   * The log bucket for CloudTrail and Config: the same bucket, named by attributes, so those constructs add no
   * delivery statements of their own (the CDK's trail statements carry neither `aws:SourceArn` nor `aws:SourceAccount`);
   * this construct writes them, with both.
   */
  readonly auditDestination: s3.IBucket;
  /** S3 server access logs of every bucket in the account. */
  readonly accessLogBucket: s3.IBucket;
  /** Who may erase logs or change log buckets; other log buckets of the account (load balancer, WAF) get the same. */
  readonly protection: LogBucketProtection;
  /** Copies the log bucket to the Log Archive account, when configured. */
  readonly replication?: LogReplication;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const key = props.key;
    this.key = key;

    // S3 server access logging can only deliver to SSE-S3 buckets, so this one bucket cannot use the logs key.
    const accessLogs = new SecureBucket(this, 'AccessLogs', {
      encryption: { kind: 's3-managed', why: 'S3 server access log delivery does not support SSE-KMS target buckets' },
      // Server access logs are audit records (who read or changed which object), kept as long as the trail.
      expireAfterDays: props.auditRetentionDays,
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
    // Delivery from every bucket of the account: buckets of other stacks name this one by attributes (SecureBucket).
    accessLogs.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogDelivery',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [accessLogs.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:s3:::*` } },
      }),
    );

    const logs = new SecureBucket(this, 'Logs', {
      encryption: { kind: 'kms', key },
      serverAccessLogs: { bucket: accessLogs.bucket, prefix: 'logs-bucket/' },
      // Everything but flow logs is audit history; flow logs expire on their own, earlier, rule.
      expireAfterDays: Math.max(props.auditRetentionDays, props.flowLogs.retentionDays),
      expireByPrefix: props.flowLogs.retentionDays < props.auditRetentionDays ? [{ prefix: props.flowLogs.prefix, days: props.flowLogs.retentionDays }] : [],
      archiveAfterDays: 90,
      // Turning Object Lock on updates the bucket in place: ObjectLockEnabled is not a create-only property of AWS::S3::Bucket.
      objectLock: { defaultRetention: props.objectLock },
    });
    this.logBucket = logs.bucket;
    this.auditDestination = s3.Bucket.fromBucketAttributes(this, 'AuditDestination', { bucketArn: logs.bucket.bucketArn, bucketName: logs.bucket.bucketName, encryptionKey: key });

    this.protection = { breakGlassRoleArn: props.breakGlassRoleArn, deploymentRoleArn: props.deploymentRoleArn };
    protectLogBucket(logs.bucket, this.protection);
    protectLogBucket(accessLogs.bucket, this.protection);
    if (props.auditDelivery) this.allowAuditDelivery(logs.bucket, props.configDelivery ?? true);
    this.allowLogDelivery(key);
    if (props.replication) {
      this.replication = new LogReplication(this, 'Replication', { source: logs.bucket, sourceKey: key, destination: props.replication });
      (logs.bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = this.replication.configuration;
      acknowledgeInRegionLogs(accessLogs);
    } else {
      acknowledgeInRegionLogs(this);
    }
  }

  /**
   * CloudTrail and Config delivery for this account's own trail and recorder,
   * each limited to this account as source (`aws:SourceAccount`) and, for
   * CloudTrail, to its trails (`aws:SourceArn`).
   */
  private allowAuditDelivery(bucket: s3.Bucket, config: boolean): void {
    const account = Aws.ACCOUNT_ID;
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const fromTrails = {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudtrail:${Stack.of(this).region}:${account}:trail/*` },
    };
    bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'CloudTrailAclCheck', principals: [cloudTrail], actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn], conditions: fromTrails }));
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWrite',
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`cloudtrail/AWSLogs/${account}/*`)],
        conditions: { ...fromTrails, StringEquals: { ...fromTrails.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    if (config) for (const statement of configDeliveryBucketStatements(bucket.bucketArn, 'config')) bucket.addToResourcePolicy(statement);
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
