import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as auditmanager from 'aws-cdk-lib/aws-auditmanager';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeInRegionLogs } from '../storage/log-replication';
import { SecureBucket } from '../storage/secure-bucket';

export interface AuditManagerAssessmentsProps {
  /** Prefix of the assessment names, e.g. the stack prefix. */
  readonly name: string;
  /** Standard framework ids (NIST SP 800-53 Rev 5, PCI DSS, HIPAA: the frameworks the compliance packs check). */
  readonly frameworkIds: readonly string[];
  /** Name of the IAM role in this account that owns the assessments (Audit Manager requires a process owner). */
  readonly processOwnerRoleName: string;
  /** Encrypts assessment reports. */
  readonly key: kms.IKey;
  readonly accessLogBucket: s3.IBucket;
}

/**
 * AWS Audit Manager assessments of this account, one per framework, with
 * assessment reports kept in a bucket of their own (SSE-KMS, versioned,
 * access-logged, retained). Audit Manager itself must already be set up in
 * the account: since 30 April 2026 it takes no new customers, so this stack
 * does not register the account (RegisterAccount would be refused in a new
 * one). Assessments are retained on delete: they hold the collected evidence.
 */
export class AuditManagerAssessments extends Construct {
  readonly reportsBucket: s3.IBucket;
  readonly assessments: auditmanager.CfnAssessment[];

  constructor(scope: Construct, id: string, props: AuditManagerAssessmentsProps) {
    super(scope, id);
    if (props.frameworkIds.length === 0) throw new Error(`${this.node.path}: list at least one framework id`);
    const reports = new SecureBucket(this, 'Reports', {
      encryption: { kind: 'kms', key: props.key },
      serverAccessLogs: { bucket: props.accessLogBucket, prefix: 'audit-manager-reports/' },
    });
    acknowledgeInRegionLogs(reports);
    this.reportsBucket = reports.bucket;

    const account = { id: Aws.ACCOUNT_ID };
    this.assessments = props.frameworkIds.map((frameworkId) => {
      const assessment = new auditmanager.CfnAssessment(this, `Assessment${frameworkId}`, {
        // Named and identified by the framework, so reordering the list changes nothing.
        name: `${props.name}-${frameworkId.slice(0, 8)}`,
        description: `${props.name}: continuous assessment of this account against standard framework ${frameworkId}`,
        frameworkId,
        awsAccount: account,
        scope: { awsAccounts: [account] },
        roles: [{ roleArn: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${props.processOwnerRoleName}`, roleType: 'PROCESS_OWNER' }],
        assessmentReportsDestination: { destinationType: 'S3', destination: `s3://${this.reportsBucket.bucketName}` },
        status: 'ACTIVE',
      });
      assessment.applyRemovalPolicy(RemovalPolicy.RETAIN);
      return assessment;
    });
  }
}
