import { Aws, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { acknowledgeAll } from '../../compliance';
import { SecureBucket } from '../storage/secure-bucket';

export interface LoadBalancerLogBucketProps {
  /** Receives this bucket's S3 server access logs (the log archive's access-log bucket). */
  readonly accessLogBucket: s3.IBucket;
  /** Days log objects are kept. */
  readonly retentionDays: number;
  /** Days after which log objects move to S3 Glacier Flexible Retrieval. @default 90 */
  readonly archiveAfterDays?: number;
  /** Key prefixes the load balancer writes access and connection logs under. @default ['alb', 'alb-connections'] */
  readonly prefixes?: readonly string[];
}

/**
 * A bucket for the load balancer's access and connection logs. It is SSE-S3
 * because Elastic Load Balancing log delivery writes only to buckets encrypted
 * with S3-managed keys; everything else SecureBucket enforces still holds. The
 * log-delivery statements are written here, scoped to the `AWSLogs/<account>/`
 * keys of this account and, for `delivery.logs`, to this account as source;
 * the load balancer is given `deliveryTarget`, the bucket by attributes, so the
 * CDK's `logAccessLogs` adds its own unconditioned statements nowhere.
 */
export class LoadBalancerLogBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** The bucket by attributes, for `SecureLoadBalancer.logBucket`; depend on `bucket.policy` before logging is switched on. */
  readonly deliveryTarget: s3.IBucket;

  constructor(scope: Construct, id: string, props: LoadBalancerLogBucketProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, 'Resource', {
      encryption: { kind: 's3-managed', why: 'Elastic Load Balancing access and connection log delivery supports only SSE-S3 target buckets' },
      serverAccessLogs: { bucket: props.accessLogBucket, prefix: 'load-balancer-logs/' },
      expireAfterDays: props.retentionDays,
      archiveAfterDays: props.archiveAfterDays ?? 90,
    }).bucket;
    this.deliveryTarget = s3.Bucket.fromBucketAttributes(this, 'DeliveryTarget', { bucketArn: this.bucket.bucketArn, bucketName: this.bucket.bucketName });
    this.allowDelivery(props.prefixes ?? ['alb', 'alb-connections']);
    acknowledgeAll(
      this,
      ['NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS'],
      'Elastic Load Balancing writes access and connection logs only to SSE-S3 buckets; the objects hold request metadata, and the bucket is private, TLS-only and versioned',
    );
    acknowledgeAll(
      this,
      ['NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled'],
      'Load balancer logs are versioned, retained on stack deletion and kept in the account region like the rest of the log archive; a cross-region copy needs a second-region bucket that does not exist yet',
    );
  }

  /**
   * Elastic Load Balancing's writer: in regions older than August 2022 the
   * regional ELB account (which takes no source conditions), elsewhere its
   * log-delivery service principal, held to this account; and `delivery.logs`
   * with `aws:SourceAccount`.
   */
  private allowDelivery(prefixes: readonly string[]): void {
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region)) throw new Error(`${this.node.path}: load balancer logging needs a literal region`);
    const elbAccount = RegionInfo.get(region).elbv2Account;
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    const objects = prefixes.map((prefix) => this.bucket.arnForObjects(`${prefix}/AWSLogs/${Aws.ACCOUNT_ID}/*`));
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ElbLogDelivery',
        principals: [elbAccount ? new iam.AccountPrincipal(elbAccount) : new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: objects,
        conditions: elbAccount ? undefined : fromThisAccount,
      }),
    );
    const delivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LogDeliveryWrite',
        principals: [delivery],
        actions: ['s3:PutObject'],
        resources: objects,
        conditions: { StringEquals: { ...fromThisAccount.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'LogDeliveryAclCheck', principals: [delivery], actions: ['s3:GetBucketAcl'], resources: [this.bucket.bucketArn], conditions: fromThisAccount }));
  }
}
