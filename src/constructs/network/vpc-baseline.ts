import { join } from 'node:path';
import { type CfnResource, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IDependable } from 'constructs';
import { SecureFunction } from '../lambda/secure-function';

const HANDLER = join(__dirname, '..', '..', '..', 'functions', 'vpc-baseline', 'handler.ts');
const TIMEOUT = Duration.minutes(1);

export interface VpcBaselineProps {
  readonly vpc: ec2.Vpc;
  /** Subnets of the function: a path to the EC2 API and to the S3 gateway endpoint. */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the function's environment and dead-letter queue. */
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** What the function needs to reach first (routes, endpoints). */
  readonly dependsOn?: readonly IDependable[];
}

/**
 * What CloudFormation cannot say about a VPC, done by our own function (a
 * SecureFunction: in the VPC, its own group, encrypted, logged, dead-letter
 * queue, reserved concurrency, every rule pack applied): the default security
 * group is stripped of its rules (Security Hub EC2.2), and the IDs of the S3
 * and DynamoDB managed prefix lists are read, so that security groups send
 * HTTPS to the gateway endpoints by prefix list instead of to 0.0.0.0/0.
 *
 * It replaces the CDK's `restrictDefaultSecurityGroup`, whose provider is a
 * bare Lambda function outside the VPC that the rule packs do not inspect.
 * The function itself keeps HTTPS to 0.0.0.0/0: it is what learns the prefix
 * lists, so it cannot be limited by them; its role may only describe, and
 * revoke rules of this VPC's default group.
 */
export class VpcBaseline extends Construct {
  readonly function: SecureFunction;
  readonly resource: CustomResource;
  /** `pl-…` of com.amazonaws.<region>.s3, resolved at deploy time. */
  readonly s3PrefixListId: string;
  /** `pl-…` of com.amazonaws.<region>.dynamodb, resolved at deploy time. */
  readonly dynamoDbPrefixListId: string;

  constructor(scope: Construct, id: string, props: VpcBaselineProps) {
    super(scope, id);
    const { vpc } = props;
    const stack = Stack.of(this);
    this.function = new SecureFunction(this, 'Function', {
      entry: HANDLER,
      description: 'VPC baseline: default security group closed, gateway prefix lists read',
      vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      timeout: TIMEOUT,
      reservedConcurrency: 1,
      internet: ['EC2 API and the CloudFormation response bucket, before the prefix lists are known'],
    });
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeManagedPrefixLists'], resources: ['*'] }),
    );
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
        resources: [stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: vpc.vpcDefaultSecurityGroup })],
      }),
    );

    // Under the VPC, with the id and type the rule packs look for (their check for a closed default group);
    // a logical id of its own, since CloudFormation cannot move a custom resource to another service token.
    this.resource = new CustomResource(vpc, 'RestrictDefaultSecurityGroupCustomResource', {
      serviceToken: this.function.function.functionArn,
      resourceType: 'Custom::VpcRestrictDefaultSG',
      serviceTimeout: TIMEOUT.plus(Duration.minutes(2)),
      properties: { DefaultSecurityGroupId: vpc.vpcDefaultSecurityGroup, Region: stack.region },
    });
    (this.resource.node.defaultChild as CfnResource).overrideLogicalId('VpcBaselineDefaultSecurityGroup');
    // The function's role and policy must exist before CloudFormation calls it.
    this.resource.node.addDependency(this.function);
    for (const dependable of props.dependsOn ?? []) this.resource.node.addDependency(dependable);
    this.s3PrefixListId = this.resource.getAttString('S3PrefixListId');
    this.dynamoDbPrefixListId = this.resource.getAttString('DynamoDbPrefixListId');
  }
}
