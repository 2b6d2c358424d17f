import { Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PurposeKey } from '../keys/purpose-key';
import { acknowledgeInRegionLogs } from '../storage/log-replication';
import { SecureBucket } from '../storage/secure-bucket';

export interface EvidenceBucketProps {
  /** A fixed name, so the account trail can record this bucket's data events without a reference to this stack. */
  readonly bucketName: string;
  /**
   * The key: created here (a dedicated evidence key with the key ring's separation of duties),
   * or an existing one, for accounts whose keys belong to the security account.
   */
  readonly key: EvidenceKey;
  /** Days every object version is locked in COMPLIANCE mode. */
  readonly retentionDays: number;
  /** Receives S3 server access logs: every request to the bucket, writes included. */
  readonly accessLogBucket: s3.IBucket;
}

export type EvidenceKey =
  | {
      readonly kind: 'create';
      /** Alias without `alias/`, e.g. `sra-app/dev/evidence`. */
      readonly alias: string;
      /** Role ARNs that administer the key and may not use it. */
      readonly administrators: readonly string[];
      /** The CloudFormation execution role, which creates the key. */
      readonly deploymentRole: string;
    }
  | { readonly kind: 'existing'; readonly key: kms.IKey };

/** Data actions on evidence; denied to every principal that was not granted them here. */
const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold', 's3:ListBucket', 's3:ListBucketVersions'];
const WRITE_ACTIONS = ['s3:PutObject', 's3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:PutObjectLegalHold'];
/**
 * Nobody deletes evidence or changes a version's retention. Object Lock already refuses deleting a locked
 * version; this also refuses delete markers, which would hide evidence from a plain read.
 */
const NEVER_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging', 's3:PutObjectRetention', 's3:BypassGovernanceRetention'];

/**
 * The incident evidence store: a dedicated KMS key with the key ring's
 * separation of duties, S3 Object Lock in COMPLIANCE mode (no one, the root
 * user included, can delete or shorten a version's retention), versioning,
 * Block Public Access, TLS only, and a bucket policy that denies reading to
 * every principal not granted it through `grantRead`/`grantWrite`/`allowPrincipal`,
 * writing to all but the writers, and deleting to everyone. S3 server access
 * logs record every request.
 */
export class EvidenceBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.IKey;
  private readonly readers: string[] = [];
  private readonly writers: string[] = [];

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);
    this.key =
      props.key.kind === 'existing'
        ? props.key.key
        : new PurposeKey(this, 'Key', {
            alias: props.key.alias,
            description: 'Incident evidence: case records, instance metadata, console output and memory images in the evidence bucket',
            administrators: props.key.administrators,
            deploymentRole: props.key.deploymentRole,
            // S3 for the evidence; Lambda and SQS for the workflow function's environment and dead-letter queues.
            viaServices: ['s3', 'lambda', 'sqs'],
          }).key;
    const secure = new SecureBucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: { kind: 'kms', key: this.key },
      serverAccessLogs: { bucket: props.accessLogBucket, prefix: `${props.bucketName}/` },
      objectLock: { defaultRetention: { mode: 'COMPLIANCE', days: props.retentionDays } },
      // Versions stay as long as their lock; lifecycle never removes evidence earlier.
      noncurrentVersionDays: props.retentionDays,
    });
    this.bucket = secure.bucket;
    // One region on purpose: evidence stays where the incident happened; Object Lock protects it.
    acknowledgeInRegionLogs(secure);

    const objects = this.bucket.arnForObjects('*');
    const everyoneExcept = (principals: string[]) => ({
      ArnNotLike: { 'aws:PrincipalArn': Lazy.list({ produce: () => [...new Set(principals)] }, { omitEmpty: false }) },
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyRespondersRead',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: READ_ACTIONS,
        resources: [this.bucket.bucketArn, objects],
        conditions: everyoneExcept(this.readers),
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyWorkflowsWrite',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: WRITE_ACTIONS,
        resources: [objects],
        conditions: everyoneExcept(this.writers),
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NobodyDeletesEvidence',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: NEVER_ACTIONS,
        resources: [this.bucket.bucketArn, objects],
      }),
    );
  }

  /** Reads evidence and case records (never deletes): exact actions in IAM, and the principal exempted from the bucket policy's read deny. */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    this.allowPrincipal(grantee, 'read');
    this.key.grantDecrypt(grantee);
    return iam.Grant.addToPrincipal({ grantee, actions: READ_ACTIONS, resourceArns: [this.bucket.bucketArn, this.bucket.arnForObjects('*')] });
  }

  /** Adds evidence (never deletes or re-locks it): exact actions in IAM, and the exemption from the bucket policy's write deny. */
  grantWrite(grantee: iam.IGrantable): iam.Grant {
    this.allowPrincipal(grantee, 'write');
    // Decrypt as well: multipart uploads read back the data key of earlier parts.
    this.key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    return iam.Grant.addToPrincipal({ grantee, actions: WRITE_ACTIONS, resourceArns: [this.bucket.arnForObjects('*')] });
  }

  /**
   * Exempts a role from the bucket policy's deny, for principals that receive
   * their IAM grant elsewhere (the workflows call the bucket's own `grant*`).
   */
  allowPrincipal(grantee: iam.IGrantable, access: 'read' | 'write'): void {
    const role = grantee.grantPrincipal as iam.IRole;
    if (!role.roleArn) throw new Error(`${this.node.path}: only roles can be allowed at the evidence bucket (got ${grantee.grantPrincipal.toString()})`);
    this.readers.push(role.roleArn);
    if (access === 'write') this.writers.push(role.roleArn);
  }
}
