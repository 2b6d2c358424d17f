import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** Who may still erase logs or change a log bucket's settings. */
export interface LogBucketProtection {
  /** The only role that may delete log objects, and (with the deployment role) change bucket settings. @default - nobody */
  readonly breakGlassRoleArn?: string;
  /** The CloudFormation execution role: stack updates must still be able to set the policy and lifecycle. */
  readonly deploymentRoleArn: string;
}

/** Bucket settings that would let logs be erased early or unseen. */
const BUCKET_SETTINGS = [
  's3:DeleteBucket',
  's3:DeleteBucketPolicy',
  's3:PutBucketPolicy',
  's3:PutLifecycleConfiguration',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketVersioning',
  's3:PutReplicationConfiguration',
  's3:PutBucketLogging',
];
/** Object actions that erase or unlock log records. */
const OBJECT_ERASURE = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention', 's3:PutObjectRetention', 's3:PutObjectLegalHold'];

/**
 * Denies erasing a log bucket's objects to everyone but the break-glass role,
 * and changing its policy, lifecycle, lock, versioning, replication or logging
 * to everyone but that role and CloudFormation. Administrators are not exempt.
 * Lifecycle expiry is S3's own and is not affected.
 */
export function protectLogBucket(bucket: s3.IBucket, protection: LogBucketProtection): void {
  const breakGlass = protection.breakGlassRoleArn ? [protection.breakGlassRoleArn] : [];
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'LogsCannotBeErased',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: OBJECT_ERASURE,
      resources: [bucket.arnForObjects('*')],
      conditions: breakGlass.length ? { ArnNotEquals: { 'aws:PrincipalArn': breakGlass } } : undefined,
    }),
  );
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'LogBucketSettingsOnlyByBreakGlassOrDeployment',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: BUCKET_SETTINGS,
      resources: [bucket.bucketArn],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...breakGlass, protection.deploymentRoleArn] } },
    }),
  );
}
