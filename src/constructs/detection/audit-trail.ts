import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { addStatements, cloudTrailKeyStatements } from './service-delivery-policies';
import { TRAIL_ALARMS } from './trail-alarm-catalog';

export interface AuditTrailProps {
  /** Bucket that receives log files, e.g. the log archive's log bucket; the trail adds its bucket-policy statements when it belongs to this stack. */
  readonly bucket: s3.IBucket;
  /**
   * Encrypts log files and the CloudWatch Logs group. Its policy must admit
   * CloudTrail (`cloudTrailKeyStatements`, added here for a key of this stack)
   * and CloudWatch Logs for log groups of this account (the log archive's logs key does).
   */
  readonly key: kms.IKey;
  /** Days the CloudWatch Logs copy is kept (a CloudWatch Logs retention value); the bucket's lifecycle keeps the files. */
  readonly logRetentionDays: number;
  /** Every alarm notifies this topic, e.g. `FindingsRouting.topic`; an encrypted topic's key must admit CloudWatch (FindingsRouting's does). */
  readonly alarmTopic: sns.ITopic;
  /** Folder in the bucket. @default 'cloudtrail' */
  readonly prefix?: string;
  /**
   * Buckets whose object-level reads and writes are recorded as S3 data events (charged per event).
   * @default - none; management events only
   */
  readonly dataEventBucketArns?: readonly string[];
  /** CloudWatch namespace of the alarm metrics. @default 'CloudTrailMetrics' */
  readonly metricNamespace?: string;
}

/**
 * A CloudTrail trail for an account that runs its own (standalone mode; in
 * organization mode the organization trail covers it): every region, read and
 * write management events, global service events, log file validation, SSE-KMS
 * with the given key, delivery to the log bucket and to an encrypted
 * CloudWatch Logs group. On that group, the CIS monitoring metric filters
 * (`TRAIL_ALARMS`) each raise an alarm on the alarm topic.
 */
export class AuditTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly logGroup: logs.LogGroup;
  /** Alarms by `TRAIL_ALARMS` id. */
  readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Folder of the log files in the bucket (`<prefix>/AWSLogs/<account>/CloudTrail/<region>/yyyy/MM/dd/`). */
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    addStatements(props.key, cloudTrailKeyStatements());
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.key,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.prefix = props.prefix ?? 'cloudtrail';
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: props.bucket,
      s3KeyPrefix: this.prefix,
      encryptionKey: props.key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      enableFileValidation: true,
      // Wired below with a role of our own: the L2's role would carry an inline policy.
      sendToCloudWatchLogs: false,
    });
    this.deliverToLogGroup();
    this.recordDataEvents(props.dataEventBucketArns ?? []);

    const namespace = props.metricNamespace ?? 'CloudTrailMetrics';
    const alarms: Record<string, cloudwatch.Alarm> = {};
    for (const entry of TRAIL_ALARMS) {
      const filter = new logs.MetricFilter(this, `${entry.id}Filter`, {
        logGroup: this.logGroup,
        filterPattern: logs.FilterPattern.literal(entry.pattern),
        metricNamespace: namespace,
        metricName: entry.id,
        metricValue: '1',
      });
      const alarm = filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }).createAlarm(this, `${entry.id}Alarm`, {
        alarmDescription: `${entry.description} (${entry.securityHubControl ? `CIS monitoring, Security Hub ${entry.securityHubControl}` : 'key hygiene'})`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      alarms[entry.id] = alarm;
    }
    this.alarms = alarms;
  }

  /** CloudTrail writes to the group through this role; its one statement is in a customer-managed policy. */
  private deliverToLogGroup(): void {
    const role = new ManagedPolicyRole(this, 'LogsRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'),
      description: 'CloudTrail: deliver the trail to its CloudWatch Logs group',
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));
    const cfn = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfn.cloudWatchLogsLogGroupArn = this.logGroup.logGroupArn;
    cfn.cloudWatchLogsRoleArn = role.roleArn;
    // CloudTrail checks it can write to the group when the trail is created: the policy must exist first.
    cfn.node.addDependency(role);
  }

  private recordDataEvents(bucketArns: readonly string[]): void {
    if (!bucketArns.length) return;
    const buckets = bucketArns.map((arn, i) => ({ bucket: s3.Bucket.fromBucketArn(this, `DataEventBucket${i}`, arn) }));
    this.trail.addS3EventSelector(buckets, { readWriteType: cloudtrail.ReadWriteType.ALL, includeManagementEvents: false });
  }
}
