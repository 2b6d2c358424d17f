import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Whose principals and resources an endpoint admits: this account, or the whole organization. */
export interface Perimeter {
  readonly account: string;
  readonly organizationId?: string;
}

function principalCondition(p: Perimeter): Record<string, string> {
  return p.organizationId ? { 'aws:PrincipalOrgID': p.organizationId } : { 'aws:PrincipalAccount': p.account };
}

function resourceCondition(p: Perimeter): Record<string, string> {
  return p.organizationId ? { 'aws:ResourceOrgID': p.organizationId } : { 'aws:ResourceAccount': p.account };
}

/**
 * The policy of an interface endpoint: only principals of the perimeter, and
 * where the service allows it (`resourcePerimeter`), only resources of the
 * perimeter too. This replaces the default policy that allows everything.
 */
export function interfaceEndpointStatements(perimeter: Perimeter, resourcePerimeter: boolean): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: resourcePerimeter ? 'PerimeterPrincipalsToPerimeterResources' : 'PerimeterPrincipalsOnly',
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: {
        StringEquals: resourcePerimeter ? { ...principalCondition(perimeter), ...resourceCondition(perimeter) } : principalCondition(perimeter),
      },
    }),
  ];
}

/**
 * Buckets owned by AWS that instances in this VPC must read through the S3
 * gateway endpoint: SSM Agent and its plugins, Patch Manager baselines,
 * and Amazon Linux 2023 package repositories. They sit outside any resource
 * perimeter, so each is named.
 */
export function awsOwnedBucketArns(region: string): string[] {
  const p = Aws.PARTITION;
  return [
    `arn:${p}:s3:::aws-ssm-${region}/*`,
    `arn:${p}:s3:::amazon-ssm-${region}/*`,
    `arn:${p}:s3:::amazon-ssm-packages-${region}/*`,
    `arn:${p}:s3:::${region}-birdwatcher-prod/*`,
    `arn:${p}:s3:::aws-ssm-distributor-file-${region}/*`,
    `arn:${p}:s3:::aws-ssm-document-attachments-${region}/*`,
    `arn:${p}:s3:::patch-baseline-snapshot-${region}/*`,
    `arn:${p}:s3:::al2023-repos-${region}-de612dc2/*`,
    `arn:${p}:s3:::amazonlinux-2-repos-${region}/*`,
  ];
}

/**
 * The S3 gateway endpoint policy: the perimeter, read access to the AWS-owned
 * buckets the fleet needs, and the custom-resource answers of this
 * environment's own stacks.
 */
export function s3GatewayStatements(perimeter: Perimeter, region: string, stackNamePrefix: string): iam.PolicyStatement[] {
  return [
    ...interfaceEndpointStatements(perimeter, true),
    new iam.PolicyStatement({
      // No principal condition: the package manager reads these repositories anonymously.
      // Read-only access to AWS-owned buckets cannot carry data out of the account.
      sid: 'ReadAwsOwnedBuckets',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: awsOwnedBucketArns(region),
    }),
    new iam.PolicyStatement({
      sid: 'AnswerCloudFormation',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [cloudFormationResponseObjects(perimeter.account, region, stackNamePrefix)],
    }),
  ];
}

/**
 * The DynamoDB gateway endpoint policy: principals of the perimeter, on tables
 * of this account only (named by ARN, which needs no condition-key support).
 */
export function dynamoDbGatewayStatements(perimeter: Perimeter, region: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'PerimeterPrincipalsToAccountTables',
      principals: [new iam.AnyPrincipal()],
      actions: ['dynamodb:*'],
      resources: [`arn:${Aws.PARTITION}:dynamodb:${region}:${perimeter.account}:table/*`],
      conditions: { StringEquals: principalCondition(perimeter) },
    }),
  ];
}

/**
 * Where custom resources of this environment's stacks answer CloudFormation.
 * The handler PUTs its answer to a URL that CloudFormation presigned with its
 * own credentials, so the request carries a principal of AWS's, never ours:
 * a principal condition (aws:PrincipalAccount, aws:PrincipalArn of our provider
 * roles) would refuse every answer and narrow nothing. What the request does
 * carry is the object key, and CloudFormation names it after the request:
 * `<stack ARN>|<logical id>|<request id>`. Pinning the key to the ARNs of this
 * account's stacks named `<stackNamePrefix>*` leaves no write into the shared
 * regional bucket but the answers CloudFormation asked this environment for:
 * a key of any other stack, account or free choice is refused at the endpoint.
 */
export function cloudFormationResponseObjects(account: string, region: string, stackNamePrefix: string): string {
  const p = Aws.PARTITION;
  return `arn:${p}:s3:::cloudformation-custom-resource-response-${region.replace(/-/g, '')}/arn:${p}:cloudformation:${region}:${account}:stack/${stackNamePrefix}*`;
}
