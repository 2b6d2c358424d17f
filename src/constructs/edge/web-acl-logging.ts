import { ArnFormat, Aws, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** AWS WAF delivers logs only to destinations whose name starts with this. */
export const WAF_LOG_PREFIX = 'aws-waf-logs-';

/** A KMS-encrypted CloudWatch Logs group created here. */
export interface WafCloudWatchLogs {
  readonly kind: 'cloudWatchLogs';
  /** Encrypts the group (its policy must admit the CloudWatch Logs service, as the logs key's does). */
  readonly key: kms.IKey;
  readonly retentionDays: number;
  /** Must start with `aws-waf-logs-`. @default - `aws-waf-logs-` and a name unique to this construct */
  readonly logGroupName?: string;
}

/** An existing bucket whose name starts with `aws-waf-logs-` (SSE-KMS with a key that admits log delivery, or SSE-S3). */
export interface WafS3Logs {
  readonly kind: 's3';
  readonly bucket: s3.IBucket;
}

export type WafLogDestination = WafCloudWatchLogs | WafS3Logs;

/** Headers that carry credentials or sessions: their values never reach the logs. */
export const REDACTED_HEADERS = ['authorization', 'cookie'] as const;

export interface WebAclLoggingProps {
  readonly webAclArn: string;
  readonly destination: WafLogDestination;
}

/**
 * Logging of every request a web ACL inspects, with credential headers and the
 * query string redacted. The OIDC callback (`/oauth2/idpresponse?code=…&state=…`)
 * carries the authorization code in its query string; WAF can redact a single
 * header, the method, the URI path or the whole query string, never one query
 * argument, and a logging filter could only drop the callback's records (and
 * with them every sign-in). So the whole query string is redacted: every
 * request stays logged, with its path, method, source and rule matches.
 */
export class WebAclLogging extends Construct {
  readonly configuration: wafv2.CfnLoggingConfiguration;
  /** The group logs go to, for the `cloudWatchLogs` destination. */
  readonly logGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WebAclLoggingProps) {
    super(scope, id);
    const destination = props.destination;
    let destinationArn: string;
    if (destination.kind === 'cloudWatchLogs') {
      const name = destination.logGroupName ?? `${WAF_LOG_PREFIX}${Names.uniqueResourceName(this, { maxLength: 200 - WAF_LOG_PREFIX.length })}`;
      if (!Token.isUnresolved(name) && !name.startsWith(WAF_LOG_PREFIX)) {
        throw new Error(`${this.node.path}: logging.logGroupName must start with "${WAF_LOG_PREFIX}", or AWS WAF refuses it (got ${JSON.stringify(name)})`);
      }
      this.logGroup = new logs.LogGroup(this, 'Group', {
        logGroupName: name,
        encryptionKey: destination.key,
        retention: destination.retentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // WAF wants the group ARN without the ":*" suffix that LogGroup.logGroupArn carries.
      destinationArn = Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    } else if (destination.kind === 's3') {
      const name = literalBucketName(destination.bucket);
      if (name !== undefined && !name.startsWith(WAF_LOG_PREFIX)) {
        throw new Error(`${this.node.path}: logging.bucket must be named with the "${WAF_LOG_PREFIX}" prefix, or AWS WAF refuses it (got ${JSON.stringify(name)})`);
      }
      allowLogDelivery(destination.bucket);
      destinationArn = destination.bucket.bucketArn;
    } else {
      throw new Error(`${this.node.path}: logging.kind must be 'cloudWatchLogs' or 's3' (got ${JSON.stringify((destination as { kind?: unknown }).kind)})`);
    }

    this.configuration = new wafv2.CfnLoggingConfiguration(this, 'Resource', {
      resourceArn: props.webAclArn,
      logDestinationConfigs: [destinationArn],
      redactedFields: [...REDACTED_HEADERS.map((header) => ({ singleHeader: { Name: header } })), { queryString: {} }],
    });
    if (this.logGroup) this.configuration.node.addDependency(this.logGroup);
  }
}

/** The bucket's name when it is known at synth (imported by name, or created with a fixed name). */
function literalBucketName(bucket: s3.IBucket): string | undefined {
  if (!Token.isUnresolved(bucket.bucketName)) return bucket.bucketName;
  const cfn = bucket.node.defaultChild;
  const name = cfn instanceof s3.CfnBucket ? cfn.bucketName : undefined;
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
}

/**
 * The statements AWS WAF's log delivery needs, written in the bucket policy
 * rather than left for the service to add (which would drift from the
 * template). Only this account's delivery sources may write. No effect on an
 * imported bucket, whose policy must carry the same.
 */
function allowLogDelivery(bucket: s3.IBucket): void {
  const delivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
  const source = {
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
  };
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AwsWafLogDeliveryWrite',
      principals: [delivery],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`AWSLogs/${Aws.ACCOUNT_ID}/*`)],
      conditions: { ...source, StringEquals: { ...source.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }),
  );
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({ sid: 'AwsWafLogDeliveryAclCheck', principals: [delivery], actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn], conditions: source }),
  );
}
