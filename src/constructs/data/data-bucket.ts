import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeAll } from '../../compliance';
import { SecureBucket } from '../storage/secure-bucket';
import { clearanceStatement, type DataClassification } from './classification';

export interface DataBucketProps {
  /** A fixed name (with account and region, so it is unique), so grants can name objects without a cross-stack token. */
  readonly bucketName: string;
  readonly key: kms.IKey;
  readonly accessLogs: s3.IBucket;
  /** The S3 gateway endpoint: the only network path to the objects. */
  readonly gatewayEndpointId: string;
  /** Roles that reach the objects from outside the VPC: administrators, the backup role, replication. */
  readonly exemptRoleArns: readonly string[];
  readonly noncurrentVersionDays: number;
  readonly objectLock?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
  /** Confidential and critical objects are reached only by principals tagged with a matching clearance. */
  readonly classification: DataClassification;
}

/** Object actions that read, write or delete application data. */
const DATA_ACTIONS = ['s3:GetObject*', 's3:PutObject*', 's3:DeleteObject*', 's3:RestoreObject', 's3:ReplicateObject'];

/**
 * The application data bucket: everything SecureBucket enforces, SSE-KMS with
 * the data key, Object Lock capable, and objects reachable only through the
 * VPC's S3 gateway endpoint except for named roles. Bucket management stays
 * reachable so CloudFormation can still update the bucket.
 */
export class DataBucket extends Construct {
  readonly bucket: s3.Bucket;
  private readonly key: kms.IKey;
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    this.key = props.key;
    this.bucketName = props.bucketName;
    this.bucket = new SecureBucket(this, 'Resource', {
      bucketName: props.bucketName,
      encryption: { kind: 'kms', key: props.key },
      serverAccessLogs: { bucket: props.accessLogs, prefix: 'data-bucket/' },
      noncurrentVersionDays: props.noncurrentVersionDays,
      objectLock: { defaultRetention: props.objectLock },
    }).bucket;
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ObjectsOnlyThroughTheVpcEndpoint',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: DATA_ACTIONS,
        resources: [this.bucket.arnForObjects('*')],
        conditions: {
          StringNotEquals: { 'aws:SourceVpce': props.gatewayEndpointId },
          ArnNotLike: { 'aws:PrincipalArn': [...props.exemptRoleArns] },
        },
      }),
    );
    this.denyOtherEncryption(props.key);
    const cleared = clearanceStatement(props.classification, DATA_ACTIONS, [this.bucket.arnForObjects('*')]);
    if (cleared) this.bucket.addToResourcePolicy(cleared);
    acknowledgeAll(
      this,
      ['NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled'],
      'Recovery comes from AWS Backup (continuous point-in-time backup and locked daily, weekly and monthly recovery points, optionally copied to another region or account), not from a live replica',
    );
  }

  /**
   * Objects are encrypted with the data key and nothing else: no SSE-C (a key
   * the account never holds, so neither backup nor audit could read the
   * object), no SSE-S3 and no other KMS key named in the request. A request
   * that names no key gets the bucket default, the data key.
   */
  private denyOtherEncryption(key: kms.IKey): void {
    const objects = [this.bucket.arnForObjects('*')];
    const deny = (sid: string, conditions: Record<string, Record<string, unknown>>) =>
      this.bucket.addToResourcePolicy(new iam.PolicyStatement({ sid, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:PutObject'], resources: objects, conditions }));
    deny('NoCustomerProvidedKeys', { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } });
    deny('OnlySseKms', { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } });
    deny('OnlyTheDataKey', { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': key.keyArn } });
  }

  /**
   * Read, write and delete objects under one key prefix, and list that prefix,
   * encrypting with the data key through S3. Actions are named one by one
   * (the CDK's grant uses wildcards such as `s3:GetObject*`).
   */
  grantReadWrite(grantee: iam.IGrantable, prefix: string): void {
    const folder = prefix.replace(/\/?$/, '/');
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [`arn:${Aws.PARTITION}:s3:::${this.bucketName}/${folder}*`],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [`arn:${Aws.PARTITION}:s3:::${this.bucketName}`], conditions: { StringLike: { 's3:prefix': [`${folder}*`] } } }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      // Through S3 only: the grantee cannot use the data key on anything but this bucket's objects.
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn], conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } } }),
    );
  }
}
