import type { IConstruct } from 'constructs';
import { acknowledgeAll } from '../../compliance';

/**
 * Log buckets stay in the account's region: versioned, retained on stack
 * deletion, lifecycle-managed. The three packs' replication rule is
 * acknowledged for them with that reason, in one place.
 */
export function acknowledgeInRegionLogs(scope: IConstruct): void {
  acknowledgeAll(
    scope,
    ['NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled'],
    'Log buckets are versioned, retained on stack deletion and kept within the account region for data residency; a cross-region copy needs a bucket and key in a second region, which this account layout does not create yet',
  );
}
