import { Aws, Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { addStatements, configDeliveryBucketStatements, configDeliveryKeyStatements } from './service-delivery-policies';

/** Types a listed recording set must contain: the SRA has Config track keys and secrets (their policies and rotation). */
export const REQUIRED_RECORDED_TYPES = ['AWS::KMS::Key', 'AWS::SecretsManager::Secret'] as const;

export interface ConfigRecorderProps {
  /** Bucket that receives configuration history and snapshots, e.g. the log archive's log bucket. */
  readonly bucket: s3.IBucket;
  /** Key the delivery channel encrypts with. */
  readonly key: kms.IKey;
  /** Folder in the bucket. @default 'config' */
  readonly prefix?: string;
  /**
   * Record only these resource types (must include `REQUIRED_RECORDED_TYPES`).
   * @default - every supported resource type, global ones (IAM) included
   */
  readonly resourceTypes?: readonly string[];
  /**
   * Record global resources (IAM users, roles, policies) in this region. Turn
   * off in every region but one when the account records several regions, so
   * each IAM change is recorded and billed once. Ignored with `resourceTypes`.
   * @default true
   */
  readonly includeGlobalResourceTypes?: boolean;
  /**
   * Create the AWSServiceRoleForConfig service-linked role. Set false when the
   * account already has it: CloudFormation fails to create an existing one.
   * @default true
   */
  readonly createServiceLinkedRole?: boolean;
  /**
   * The account already has its configuration recorder (one per account and
   * Region): none is created, nor the service-linked role it uses, and the
   * rules evaluate through the existing one. `resourceTypes` is then ignored.
   * @default false
   */
  readonly adoptExistingRecorder?: boolean;
  /**
   * The account already has its delivery channel (one per account and
   * Region): none is created and history goes where that channel delivers.
   * @default false
   */
  readonly adoptExistingDeliveryChannel?: boolean;
}

/**
 * The AWS Config recorder of an account that runs Config itself: continuous
 * recording through the service-linked role (Security Hub Config.1) and a
 * delivery channel writing KMS-encrypted history and daily snapshots to the
 * log bucket. The bucket and key policies Config needs are added when they
 * belong to this stack; otherwise their owner adds `configDelivery*Statements`.
 */
export class ConfigRecorder extends Construct {
  /** Undefined when the account's existing recorder is adopted. */
  readonly recorder?: config.CfnConfigurationRecorder;
  /** Undefined when the account's existing delivery channel is adopted. */
  readonly deliveryChannel?: config.CfnDeliveryChannel;
  /** The resource types recorded, or undefined when every supported type is. */
  readonly resourceTypes?: readonly string[];

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const prefix = props.prefix ?? 'config';
    // What an adopted recorder records is its own business; rules are not warned about it.
    this.resourceTypes = props.adoptExistingRecorder ? undefined : props.resourceTypes;
    const missing = REQUIRED_RECORDED_TYPES.filter((t) => props.resourceTypes && !props.resourceTypes.includes(t));
    if (missing.length) throw new Error(`${this.node.path}: resourceTypes must include ${missing.join(' and ')} (the SRA has Config record keys and secrets)`);

    if (!props.adoptExistingRecorder) this.recorder = this.createRecorder(props);
    if (!props.adoptExistingDeliveryChannel) this.deliveryChannel = this.createDeliveryChannel(props, prefix);
  }

  /** Whether the recorder records `type`. */
  records(type: string): boolean {
    return !this.resourceTypes || this.resourceTypes.includes(type);
  }

  private createRecorder(props: ConfigRecorderProps): config.CfnConfigurationRecorder {
    const serviceLinkedRole = props.createServiceLinkedRole === false ? undefined : new iam.CfnServiceLinkedRole(this, 'ServiceLinkedRole', { awsServiceName: 'config.amazonaws.com' });
    const recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: `arn:${Aws.PARTITION}:iam::${Stack.of(this).account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      recordingGroup: props.resourceTypes
        ? { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: [...props.resourceTypes], recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' } }
        : { allSupported: true, includeGlobalResourceTypes: props.includeGlobalResourceTypes ?? true, recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' } },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
    });
    if (serviceLinkedRole) recorder.node.addDependency(serviceLinkedRole);
    return recorder;
  }

  private createDeliveryChannel(props: ConfigRecorderProps, prefix: string): config.CfnDeliveryChannel {
    const bucketPolicy = addStatements(props.bucket, configDeliveryBucketStatements(props.bucket.bucketArn, prefix));
    // A key's policy is part of the key, which the channel references already.
    addStatements(props.key, configDeliveryKeyStatements());
    const channel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: props.bucket.bucketName,
      s3KeyPrefix: prefix,
      s3KmsKeyArn: props.key.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // Config needs a recorder before it accepts a channel, and checks its bucket access when the channel is created.
    if (this.recorder) channel.node.addDependency(this.recorder);
    for (const { policyDependable } of bucketPolicy) if (policyDependable) channel.node.addDependency(policyDependable);
    return channel;
  }
}
