import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { addStatements, guardDutyExportBucketStatements, guardDutyExportKeyStatements } from './service-delivery-policies';

/** Where GuardDuty exports every finding, beyond its own 90-day store. */
export interface FindingsExport {
  /** Bucket that receives the findings, e.g. the log archive's log bucket. */
  readonly bucket: s3.IBucket;
  /** Key GuardDuty encrypts exported findings with; GuardDuty refuses to export without one. */
  readonly key: kms.IKey;
  /** Folder in the bucket. @default 'guardduty' */
  readonly prefix?: string;
}

export interface ThreatDetectionProps {
  /**
   * Export findings to S3. For a bucket or key owned by another stack or account,
   * their policies must carry `guardDutyExportBucketStatements` and
   * `guardDutyExportKeyStatements` (added here when they belong to this stack).
   * @default - no export; findings stay in GuardDuty for 90 days and reach Security Hub and EventBridge
   */
  readonly findingsExport?: FindingsExport;
  /**
   * The id of the detector the account already has (one per account and
   * Region). No detector is created; the export is attached to this one,
   * which keeps its own protection plans and publishing frequency.
   * @default - a detector is created
   */
  readonly existingDetectorId?: string;
}

/** The GuardDuty protection plans this account turns on, with the Security Hub control that checks each. */
export const GUARDDUTY_FEATURES: readonly guardduty.CfnDetector.CFNFeatureConfigurationProperty[] = [
  // GuardDuty.10, S3 Protection: data events of the app and log buckets.
  { name: 'S3_DATA_EVENTS', status: 'ENABLED' },
  // GuardDuty.8, Malware Protection for EC2: scans the EBS volumes of instances with suspicious findings.
  { name: 'EBS_MALWARE_PROTECTION', status: 'ENABLED' },
  // GuardDuty.9, RDS Protection: anomalous sign-ins to Aurora.
  { name: 'RDS_LOGIN_EVENTS', status: 'ENABLED' },
  // GuardDuty.5, EKS Audit Log Monitoring: costs nothing without an EKS cluster, and covers one the day it is added.
  { name: 'EKS_AUDIT_LOGS', status: 'ENABLED' },
  // GuardDuty.11/.12/.13, Runtime Monitoring with automated agent management: the app fleet (through SSM) today,
  // and any EKS cluster (add-on) or ECS Fargate task (sidecar) the account runs later, with no further change.
  {
    name: 'RUNTIME_MONITORING',
    status: 'ENABLED',
    additionalConfiguration: [
      { name: 'EC2_AGENT_MANAGEMENT', status: 'ENABLED' },
      { name: 'EKS_ADDON_MANAGEMENT', status: 'ENABLED' },
      { name: 'ECS_FARGATE_AGENT_MANAGEMENT', status: 'ENABLED' },
    ],
  },
  // GuardDuty.6, Lambda Protection: network activity of the account's functions.
  { name: 'LAMBDA_NETWORK_LOGS', status: 'ENABLED' },
];

/**
 * Amazon GuardDuty for an account that runs it itself (standalone mode; in
 * organization mode the delegated administrator enables it). Findings are
 * published every 15 minutes (the service default is 6 hours) so EventBridge
 * routing is timely, with every protection plan the workload can use.
 *
 * Runtime Monitoring with automated agent management creates a VPC endpoint
 * (guardduty-data) and its own security group in every VPC that runs a
 * monitored workload; that group admits HTTPS from the VPC CIDR only, and the
 * app subnets' network ACLs already admit HTTPS between app subnets. The
 * endpoint is GuardDuty's, so this stack does not create one (a second
 * endpoint with private DNS for the same service would fail). Malware Protection needs its service-linked
 * role to be allowed to use the customer key that encrypts EBS volumes.
 */
export class ThreatDetection extends Construct {
  /** The detector this construct created; undefined when an existing one is adopted. */
  readonly detector?: guardduty.CfnDetector;
  /** The id of the detector in use, created or adopted. */
  readonly detectorId: string;
  readonly publishingDestination?: guardduty.CfnPublishingDestination;

  constructor(scope: Construct, id: string, props: ThreatDetectionProps = {}) {
    super(scope, id);
    if (props.existingDetectorId !== undefined && !/^[0-9a-f]{32}$/.test(props.existingDetectorId)) {
      throw new Error(`${this.node.path}: existingDetectorId must be a detector id of 32 lowercase hex characters (got ${JSON.stringify(props.existingDetectorId)})`);
    }
    this.detector = props.existingDetectorId
      ? undefined
      : new guardduty.CfnDetector(this, 'Resource', {
          enable: true,
          findingPublishingFrequency: 'FIFTEEN_MINUTES',
          features: [...GUARDDUTY_FEATURES],
        });
    this.detectorId = props.existingDetectorId ?? this.detector!.attrId;

    const exported = props.findingsExport;
    if (!exported) return;
    const prefix = exported.prefix ?? 'guardduty';
    const bucketPolicy = addStatements(exported.bucket, guardDutyExportBucketStatements(exported.bucket.bucketArn, prefix));
    // A key's policy is part of the key, which the destination references already.
    addStatements(exported.key, guardDutyExportKeyStatements());
    this.publishingDestination = new guardduty.CfnPublishingDestination(this, 'FindingsExport', {
      detectorId: this.detectorId,
      destinationType: 'S3',
      destinationProperties: { destinationArn: `${exported.bucket.bucketArn}/${prefix}/`, kmsKeyArn: exported.key.keyArn },
    });
    // GuardDuty checks its access when the destination is created, so the policies must be in place first.
    for (const { policyDependable } of bucketPolicy) if (policyDependable) this.publishingDestination.node.addDependency(policyDependable);
  }
}
