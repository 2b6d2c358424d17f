import type * as s3 from 'aws-cdk-lib/aws-s3';
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
}

/**
 * A bucket for the load balancer's access and connection logs. It is SSE-S3
 * because Elastic Load Balancing log delivery writes only to buckets encrypted
 * with S3-managed keys; everything else SecureBucket enforces still holds. The
 * log-delivery statements of its bucket policy are added by
 * `SecureLoadBalancer` (through the ALB's own `logAccessLogs`), scoped to the
 * `AWSLogs/<account>/` keys of this account.
 */
export class LoadBalancerLogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LoadBalancerLogBucketProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, 'Resource', {
      encryption: { kind: 's3-managed', why: 'Elastic Load Balancing access and connection log delivery supports only SSE-S3 target buckets' },
      serverAccessLogs: { bucket: props.accessLogBucket, prefix: 'load-balancer-logs/' },
      expireAfterDays: props.retentionDays,
      archiveAfterDays: props.archiveAfterDays ?? 90,
    }).bucket;
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
}
