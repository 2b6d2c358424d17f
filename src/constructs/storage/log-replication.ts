import { Aws, type CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge, acknowledgeAll } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';

/**
 * Log buckets stay in the account's region: versioned, retained on stack
 * deletion, lifecycle-managed. The three packs' replication rule is
 * acknowledged for them with that reason, in one place.
 */
export function acknowledgeInRegionLogs(scope: IConstruct): void {
  acknowledgeAll(
    scope,
    ['NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled'],
    'Log buckets are versioned, retained on stack deletion and kept within the account region for data residency; a cross-region copy needs a bucket and key in a second region, which this account layout does not create yet',
  );
}

/** The organization's Log Archive bucket in the same region: replicas become that account's objects, encrypted with its key. */
export interface LogReplicationDestination {
  readonly bucketArn: string;
  readonly account: string;
  readonly keyArn: string;
}

export interface LogReplicationProps {
  /** The log bucket being copied. */
  readonly source: s3.Bucket;
  readonly sourceKey: kms.IKey;
  readonly destination: LogReplicationDestination;
}

/**
 * Same-region replication of a log bucket to the SRA's Log Archive account:
 * every new object version (Object Lock retention and legal hold included) is
 * copied, owned by the destination account and encrypted with its key. Deletes
 * and delete markers are not replicated, so erasing the source erases no copy.
 * The destination bucket must have versioning and Object Lock on and admit
 * this role (`s3:ReplicateObject`, `s3:ObjectOwnerOverrideToBucketOwner`).
 */
export class LogReplication extends Construct {
  readonly role: iam.Role;
  readonly configuration: s3.CfnBucket.ReplicationConfigurationProperty;

  constructor(scope: Construct, id: string, props: LogReplicationProps) {
    super(scope, id);
    const { destination } = props;
    const sourceArn = props.source.bucketArn;
    const s3Service = `s3.${Aws.REGION}.amazonaws.com`;
    this.role = new ManagedPolicyRole(this, 'Role', {
      // SourceAccount only: naming the source bucket here would make the bucket and its role depend on each other.
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } }),
      description: 'S3 replication: copies new log object versions to the Log Archive account',
    });
    const add = (statement: iam.PolicyStatementProps) => this.role.addToPrincipalPolicy(new iam.PolicyStatement(statement));
    add({ actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [sourceArn] });
    add({
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
      resources: [`${sourceArn}/*`],
    });
    add({ actions: ['s3:ReplicateObject', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'], resources: [`${destination.bucketArn}/*`] });
    add({
      actions: ['kms:Decrypt'],
      resources: [props.sourceKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': s3Service }, ArnLike: { 'kms:EncryptionContext:aws:s3:arn': `${sourceArn}/*` } },
    });
    add({
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [destination.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': s3Service }, ArnLike: { 'kms:EncryptionContext:aws:s3:arn': `${destination.bucketArn}/*` } },
    });
    const sourceId = Stack.of(this).getLogicalId(props.source.node.defaultChild as CfnElement);
    for (const resource of [`<${sourceId}.Arn>/*`, `${destination.bucketArn}/*`]) {
      acknowledge(this.role, {
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason: 'Replication reads every new log object version of the source bucket and writes it under the same key in the Log Archive bucket; the keys are the services\' log file names, unknown in advance',
      });
    }
    this.configuration = {
      role: this.role.roleArn,
      rules: [
        {
          id: 'log-archive-account',
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: destination.bucketArn,
            account: destination.account,
            accessControlTranslation: { owner: 'Destination' },
            encryptionConfiguration: { replicaKmsKeyId: destination.keyArn },
          },
        },
      ],
    };
  }
}
