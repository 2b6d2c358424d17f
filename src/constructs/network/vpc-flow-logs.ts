import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';

export interface VpcFlowLogsProps {
  readonly vpc: ec2.IVpc;
  readonly destination: 's3' | 'cloudWatchLogs';
  /** Log bucket (SSE-KMS) for the `s3` destination. */
  readonly bucket: s3.IBucket;
  /** Encrypts the log group for the `cloudWatchLogs` destination. */
  readonly key: kms.IKey;
  readonly retentionDays: number;
  readonly maxAggregationSeconds: 60 | 600;
}

/** Every field of the version 5 record: enough to follow a flow through NAT, endpoints and across zones. */
const RECORD_FIELDS = [
  ec2.LogFormat.VERSION,
  ec2.LogFormat.ACCOUNT_ID,
  ec2.LogFormat.INTERFACE_ID,
  ec2.LogFormat.SRC_ADDR,
  ec2.LogFormat.DST_ADDR,
  ec2.LogFormat.SRC_PORT,
  ec2.LogFormat.DST_PORT,
  ec2.LogFormat.PROTOCOL,
  ec2.LogFormat.PACKETS,
  ec2.LogFormat.BYTES,
  ec2.LogFormat.START_TIMESTAMP,
  ec2.LogFormat.END_TIMESTAMP,
  ec2.LogFormat.ACTION,
  ec2.LogFormat.LOG_STATUS,
  ec2.LogFormat.VPC_ID,
  ec2.LogFormat.SUBNET_ID,
  ec2.LogFormat.INSTANCE_ID,
  ec2.LogFormat.TCP_FLAGS,
  ec2.LogFormat.TRAFFIC_TYPE,
  ec2.LogFormat.PKT_SRC_ADDR,
  ec2.LogFormat.PKT_DST_ADDR,
  ec2.LogFormat.REGION,
  ec2.LogFormat.AZ_ID,
  ec2.LogFormat.PKT_SRC_AWS_SERVICE,
  ec2.LogFormat.PKT_DST_AWS_SERVICE,
  ec2.LogFormat.FLOW_DIRECTION,
  ec2.LogFormat.TRAFFIC_PATH,
];

/** The key prefix the flow logs are written under in the log bucket. */
export const FLOW_LOG_PREFIX = 'vpc-flow-logs/';

/** How files are written to S3: Parquet, under Hive-compatible (`key=value`) partitions by hour, for Athena. */
const S3_OPTIONS = { fileFormat: ec2.FlowLogFileFormat.PARQUET, hiveCompatiblePartitions: true, perHourPartition: true } as const;

/** VPC flow logs for ALL traffic (accepted and rejected), encrypted with the logs key. */
export class VpcFlowLogs extends Construct {
  readonly flowLog: ec2.FlowLog;
  /** The bucket the records go to, under `FLOW_LOG_PREFIX` (the `s3` destination only). */
  readonly bucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    this.flowLog = new ec2.FlowLog(this, 'Resource', {
      resourceType: ec2.FlowLogResourceType.fromVpc(props.vpc),
      trafficType: ec2.FlowLogTrafficType.ALL,
      maxAggregationInterval:
        props.maxAggregationSeconds === 60 ? ec2.FlowLogMaxAggregationInterval.ONE_MINUTE : ec2.FlowLogMaxAggregationInterval.TEN_MINUTES,
      logFormat: RECORD_FIELDS,
      destination: props.destination === 's3' ? this.toS3(props) : this.toCloudWatch(props),
    });
    if (props.destination === 's3') {
      this.bucket = props.bucket;
      this.writeDestinationOptions();
    }
  }

  /**
   * The CDK writes DestinationOptions with camelCase keys (aws/aws-cdk#25432); CloudFormation's schema names them in
   * PascalCase and refuses the camelCase ones, so they are written here instead. The CDK still reads the options to
   * write the log bucket's delivery statement for the Hive-compatible path (`AWSLogs/aws-account-id=<account>/`).
   */
  private writeDestinationOptions(): void {
    (this.flowLog.node.defaultChild as ec2.CfnFlowLog).destinationOptions = {
      FileFormat: S3_OPTIONS.fileFormat,
      HiveCompatiblePartitions: S3_OPTIONS.hiveCompatiblePartitions,
      PerHourPartition: S3_OPTIONS.perHourPartition,
    };
  }

  private toS3(props: VpcFlowLogsProps): ec2.FlowLogDestination {
    // Retention for this destination is the log bucket's lifecycle.
    return ec2.FlowLogDestination.toS3(props.bucket, FLOW_LOG_PREFIX, S3_OPTIONS);
  }

  private toCloudWatch(props: VpcFlowLogsProps): ec2.FlowLogDestination {
    const group = new logs.LogGroup(this, 'Group', {
      encryptionKey: props.key,
      retention: props.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new ManagedPolicyRole(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: 'Lets VPC Flow Logs write to its one log group',
    });
    return ec2.FlowLogDestination.toCloudWatchLogs(group, role);
  }
}
