import { CfnElement, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';

/**
 * Session Manager reads its account-wide preferences from the Session document
 * of this exact name: one per account and Region. CloudFormation cannot
 * create it where it already exists (someone saved preferences in the
 * console): either delete that document once before the first deployment, or
 * adopt it (`adoptExistingDocument`), and its preferences govern sessions.
 */
export const SESSION_PREFERENCES_DOCUMENT = 'SSM-SessionManagerRunShell';

export interface SessionManagerPreferencesProps {
  /**
   * Encrypts session data between the operator and the instance. Used
   * directly (not through a service), so its policy must let the instance
   * role call kms:Decrypt and operators kms:GenerateDataKey without a
   * `kms:ViaService` condition.
   */
  readonly sessionKey: kms.IKey;
  /** Encrypts the session log group. */
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** Also keep session transcripts in this bucket (encrypted, TLS-only). @default - CloudWatch Logs only */
  readonly s3Bucket?: s3.IBucket;
  /** Key prefix in `s3Bucket`. @default 'session-manager' */
  readonly s3KeyPrefix?: string;
  /** Minutes without input after which a session ends (1–60). @default 20 */
  readonly idleSessionTimeoutMinutes?: number;
  /** Longest a session may last, in minutes (1–1440). @default 60 */
  readonly maxSessionDurationMinutes?: number;
  /** Non-root OS user every session runs as; it must exist on the instances (`AppFleet` creates it). @default 'ssm-user' */
  readonly runAsDefaultUser?: string;
  /** Commands run when a Linux session starts. @default 'cd ~ && exec bash --login' */
  readonly linuxShellProfile?: string;
  /**
   * The account already has the preferences document: none is created, and
   * its existing preferences (encryption, logging, run-as user, timeouts)
   * govern every session. The log group and the instance grants are still
   * created, so the existing preferences can be pointed at them.
   * @default false
   */
  readonly adoptExistingDocument?: boolean;
}

/**
 * Session Manager preferences for the account: every session runs as a
 * non-root user, is encrypted with a customer key, streamed to a
 * KMS-encrypted log group (and optionally to S3), and ends when idle. With
 * this there is no need for SSH, bastions or key pairs anywhere.
 */
export class SessionManagerPreferences extends Construct {
  /** Undefined when the account's existing preferences document is adopted. */
  readonly document?: ssm.CfnDocument;
  readonly logGroup: logs.LogGroup;
  private readonly props: SessionManagerPreferencesProps;
  private readonly s3KeyPrefix: string;

  constructor(scope: Construct, id: string, props: SessionManagerPreferencesProps) {
    super(scope, id);
    this.props = props;
    const idle = props.idleSessionTimeoutMinutes ?? 20;
    const max = props.maxSessionDurationMinutes ?? 60;
    const user = props.runAsDefaultUser ?? 'ssm-user';
    this.s3KeyPrefix = props.s3KeyPrefix ?? 'session-manager';
    if (!Number.isInteger(idle) || idle < 1 || idle > 60) throw new Error(`${this.node.path}: idleSessionTimeoutMinutes must be a whole number from 1 to 60 (got ${idle})`);
    if (!Number.isInteger(max) || max < 1 || max > 1440) throw new Error(`${this.node.path}: maxSessionDurationMinutes must be a whole number from 1 to 1440 (got ${max})`);
    if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user) || user === 'root') {
      throw new Error(`${this.node.path}: runAsDefaultUser must be a Linux user name other than root (got ${JSON.stringify(user)})`);
    }
    if (/^\/|\/$/.test(this.s3KeyPrefix)) throw new Error(`${this.node.path}: s3KeyPrefix must not start or end with "/" (got ${JSON.stringify(this.s3KeyPrefix)})`);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.adoptExistingDocument) return;
    this.document = new ssm.CfnDocument(this, 'Resource', {
      name: SESSION_PREFERENCES_DOCUMENT,
      documentType: 'Session',
      documentFormat: 'JSON',
      // A fixed name cannot be replaced, only given a new version.
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '1.0',
        description: 'Session Manager preferences: non-root, encrypted, logged, time-limited sessions',
        sessionType: 'Standard_Stream',
        inputs: {
          s3BucketName: props.s3Bucket?.bucketName ?? '',
          s3KeyPrefix: props.s3Bucket ? this.s3KeyPrefix : '',
          s3EncryptionEnabled: true,
          cloudWatchLogGroupName: this.logGroup.logGroupName,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          kmsKeyId: props.sessionKey.keyId,
          idleSessionTimeout: String(idle),
          maxSessionDuration: String(max),
          runAsEnabled: true,
          runAsDefaultUser: user,
          shellProfile: { linux: props.linuxShellProfile ?? 'cd ~ && exec bash --login', windows: '' },
        },
      },
    });
  }

  /**
   * What the instances' role needs to hold sessions under these preferences:
   * decrypt session data, stream to the log group (and check it is
   * encrypted), and write transcripts to the bucket.
   */
  grantInstanceAccess(role: iam.IRole): void {
    const grant = (actions: string[], resourceArns: string[]) => iam.Grant.addToPrincipal({ grantee: role, actions, resourceArns });
    grant(['kms:Decrypt'], [this.props.sessionKey.keyArn]);
    grant(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], [this.logGroup.logGroupArn]);
    // Session Manager verifies the group's encryption before it streams; DescribeLogGroups takes no resource.
    grant(['logs:DescribeLogGroups'], ['*']);
    const bucket = this.props.s3Bucket;
    if (bucket) {
      grant(['s3:PutObject'], [bucket.arnForObjects(`${this.s3KeyPrefix}/*`)]);
      grant(['s3:GetEncryptionConfiguration'], [bucket.bucketArn]);
      if (bucket.encryptionKey) grant(['kms:GenerateDataKey'], [bucket.encryptionKey.keyArn]);
      if (!Token.isUnresolved(this.s3KeyPrefix)) {
        acknowledge(role, {
          id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${this.s3KeyPrefix}/*]`,
          reason: 'Session transcripts are written under one prefix of the session bucket, one object per session with a generated name; the role may only add objects there',
        });
      }
    }
  }
}

function logicalIdOf(bucket: s3.IBucket): string {
  const cfn = bucket.node.defaultChild;
  return cfn instanceof CfnElement ? Stack.of(cfn).getLogicalId(cfn) : bucket.node.id;
}
