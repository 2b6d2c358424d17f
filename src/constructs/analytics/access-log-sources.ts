import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * The key prefixes (without the trailing "/") under which the buckets of `root` deliver S3 server access logs to
 * `target`: the source partitions of the S3 access-log table. Read from the buckets' own logging settings, so a
 * bucket added anywhere in the stage joins the table without a change here; call it when synthesizing (Lazy), once
 * every stack exists.
 */
export function accessLogPrefixes(root: IConstruct, target: s3.IBucket): string[] {
  const prefixes = new Set<string>();
  for (const node of root.node.findAll()) {
    if (!(node instanceof s3.CfnBucket)) continue;
    const logging = node.loggingConfiguration as s3.CfnBucket.LoggingConfigurationProperty | undefined;
    if (!logging || logging.destinationBucketName !== target.bucketName) continue;
    const prefix = (logging.logFilePrefix ?? '').replace(/\/$/, '');
    if (prefix) prefixes.add(prefix);
  }
  return [...prefixes].sort();
}
