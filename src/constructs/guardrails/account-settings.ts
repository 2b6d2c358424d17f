import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge, acknowledgeAll } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { SINGLE_CALL_SERVICE_TIMEOUT } from '../lambda/service-timeout';

/** Singleton functions already narrowed, so a second AccountSettings in the stack does not repeat it. */
const HARDENED = new WeakSet<IConstruct>();

export interface AccountSettingsProps {
  /** The workload VPC, where the function runs. */
  readonly vpc: ec2.IVpc;
  /** Private subnets with a route to the IAM, EC2, S3 Control, Account and Macie APIs (not all among the workload's interface endpoints, so through NAT). */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the function's log group. */
  readonly logsKey: kms.IKey;
  /** Days the function's logs are kept (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
}

/** One account-level setting: the SDK calls that apply and (optionally) undo it, and exactly the IAM actions they need. */
export interface AccountSetting {
  /** Called on create and on every update: an idempotent PUT of the whole setting. */
  readonly apply: cr.AwsSdkCall;
  /** @default - nothing is called when the setting is removed; it stays as it is */
  readonly undo?: cr.AwsSdkCall;
  /** The IAM actions of `apply` and `undo`. Account-level settings take no resource, so they are granted on "*". */
  readonly actions: readonly string[];
}

/**
 * Account-level settings CloudFormation has no resource for, applied with
 * `AwsCustomResource` (an SDK call per lifecycle event).
 *
 * Why AwsCustomResource and not a SecureProvider handler: the handler would
 * need @aws-sdk/client-iam, client-ec2 and client-s3-control, which this
 * project does not install; AwsCustomResource calls the SDK bundled in the
 * Lambda runtime. Each call is idempotent (the same PUT on every create and
 * update), and the physical id is fixed, so an update never triggers a delete.
 *
 * The calls run in one function per stack (the CDK's AwsCustomResource
 * singleton). It gets this construct's role, VPC placement and encrypted log
 * group; its automatic security group is narrowed to HTTPS out. Another
 * AwsCustomResource in the same stack would share that function and role.
 */
export class AccountSettings extends Construct {
  readonly role: ManagedPolicyRole;
  private readonly logGroup: logs.LogGroup;
  private readonly granted = new Set<string>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: AccountSettingsProps,
  ) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Applies account-level security settings (password policy, EBS encryption, S3 Block Public Access, IMDS defaults, Macie, alternate contacts)',
    });
    // A role given to Lambda gets nothing automatically: it must write its logs and attach to the VPC itself.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }),
    );
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only actions without resource-level permissions carry Resource *: the account-level settings (password policy, EBS defaults, S3 account Block Public Access, IMDS defaults) and the network-interface calls Lambda makes to attach to the VPC',
    });
  }

  /** Applies `setting` on create and update, and undoes it on delete when it says how. */
  set(id: string, setting: AccountSetting): cr.AwsCustomResource {
    const fresh = setting.actions.filter((a) => !this.granted.has(a));
    if (fresh.length) {
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: fresh, resources: ['*'] }));
      fresh.forEach((a) => this.granted.add(a));
    }
    const resource = new cr.AwsCustomResource(this, id, {
      resourceType: `Custom::${id}`,
      onCreate: setting.apply,
      onUpdate: setting.apply,
      onDelete: setting.undo,
      role: this.role,
      vpc: this.props.vpc,
      vpcSubnets: this.props.subnets,
      logGroup: this.logGroup,
      installLatestAwsSdk: false,
      serviceTimeout: SINGLE_CALL_SERVICE_TIMEOUT,
    });
    this.harden();
    return resource;
  }

  /** The singleton function is the CDK's: narrow what it exposes no setting for, and say why the rest stands. */
  private harden(): void {
    const fn = Stack.of(this).node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`) as lambda.Function | undefined;
    if (!fn || HARDENED.has(fn)) return;
    if (fn.role !== this.role) {
      throw new Error(`${this.node.path}: another AwsCustomResource created this stack's singleton function first, with its own role; create AccountGuardrails before it, or in another stack`);
    }
    HARDENED.add(fn);
    for (const group of fn.connections.securityGroups) {
      (group.node.defaultChild as ec2.CfnSecurityGroup).securityGroupEgress = [
        { ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0', description: 'HTTPS to the IAM, EC2 and S3 Control APIs' },
      ];
    }
    acknowledgeAll(
      fn,
      ['NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaConcurrency', 'HIPAA.Security-LambdaDLQ'],
      'The CDK AwsCustomResource function runs only when CloudFormation deploys the account settings, one request at a time, and CloudFormation reports its failures; the construct exposes no concurrency or dead-letter setting',
    );
  }
}
