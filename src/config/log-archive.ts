import { z } from 'zod';

/** PCI DSS 10.5.1 keeps audit log history for at least twelve months; no profile may keep CloudTrail or Config history for less. */
export const MIN_AUDIT_RETENTION_DAYS = 365;

const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN like arn:aws:iam::111111111111:role/LogBreakGlass');

/**
 * The log archive: how long audit logs (CloudTrail, Config, S3 server access
 * logs) are kept, how the log bucket is locked, who may change it, and an
 * optional copy in the organization's Log Archive account.
 */
export const logArchiveSection = z
  .strictObject({
    /** Days CloudTrail, Config and S3 server access logs are kept; flow logs follow network.flowLogs.retentionDays. */
    auditRetentionDays: z
      .int()
      .min(MIN_AUDIT_RETENTION_DAYS, `must be at least ${MIN_AUDIT_RETENTION_DAYS}: audit history is kept twelve months in every profile (PCI DSS 10.5.1)`)
      .max(36500)
      .default(MIN_AUDIT_RETENTION_DAYS),
    /**
     * S3 Object Lock default retention on the log bucket. mode: COMPLIANCE (nobody, root included, can shorten it)
     * or GOVERNANCE (holders of s3:BypassGovernanceRetention can). @default COMPLIANCE in production, GOVERNANCE in development.
     * days: @default network.flowLogs.retentionDays (the shortest retention in the bucket, so lifecycle can still expire flow logs)
     */
    objectLock: z
      .strictObject({
        mode: z.enum(['GOVERNANCE', 'COMPLIANCE']).optional(),
        days: z.int().min(1).max(36500).optional(),
      })
      .default({}),
    /** The one role (besides the CloudFormation execution role, for bucket settings) that may delete logs or change the log buckets' policy, lifecycle, lock or versioning. Must exist. */
    breakGlassRoleArn: roleArn.optional(),
    /** Same-region replication of the log bucket to the organization's Log Archive account (the SRA's home for logs). */
    replication: z
      .strictObject({
        /** The destination bucket; it must have versioning and Object Lock on, and a policy admitting this account's replication role. */
        bucketArn: z.string().regex(/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket ARN like arn:aws:s3:::org-log-archive-eu-west-1'),
        /** The Log Archive account that owns the destination; replicas become its objects. */
        account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id in quotes'),
        /** The destination's KMS key (in the Log Archive account, same region). */
        keyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, 'must be a KMS key ARN like arn:aws:kms:eu-west-1:999999999999:key/<uuid>'),
      })
      .optional(),
  })
  .superRefine((section, ctx) => {
    const replication = section.replication;
    if (replication && !replication.keyArn.includes(`:${replication.account}:`)) {
      ctx.addIssue({ code: 'custom', path: ['replication', 'keyArn'], message: `must be a key of the destination account ${replication.account}` });
    }
  });

export type LogArchiveConfig = z.output<typeof logArchiveSection>;

interface Issues {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** Cross-section rules: the lock may not outlast what lifecycle must delete, and replication stays in the region and leaves the account. */
export function checkLogArchive(config: Record<string, unknown>, ctx: Issues): void {
  const section = config.logArchive as Partial<LogArchiveConfig> | undefined;
  if (!section || typeof section !== 'object') return;
  const network = config.network as { flowLogs?: { retentionDays?: unknown } } | undefined;
  const flowDays = typeof network?.flowLogs?.retentionDays === 'number' ? network.flowLogs.retentionDays : 365;
  const days = section.objectLock?.days;
  if (typeof days === 'number' && days > flowDays) {
    ctx.addIssue({
      code: 'custom',
      path: ['logArchive', 'objectLock', 'days'],
      message: `must not exceed network.flowLogs.retentionDays (${flowDays}): flow logs share the locked bucket, and lifecycle cannot expire a locked object`,
    });
  }
  const replication = section.replication;
  const environments = Array.isArray(config.environments) ? (config.environments as { account?: unknown; region?: unknown; name?: unknown }[]) : [];
  if (!replication || typeof replication.keyArn !== 'string') return;
  const keyRegion = replication.keyArn.split(':')[3];
  for (const env of environments) {
    if (env.account === replication.account) {
      ctx.addIssue({ code: 'custom', path: ['logArchive', 'replication', 'account'], message: `must be the Log Archive account, not environment "${String(env.name)}"'s own account: a copy in the same account can be erased with it` });
    }
    if (typeof env.region === 'string' && keyRegion !== env.region) {
      ctx.addIssue({ code: 'custom', path: ['logArchive', 'replication', 'keyArn'], message: `must be in ${env.region} (environment "${String(env.name)}"): the copy is same-region replication` });
    }
  }
}
