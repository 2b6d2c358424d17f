import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { ApiAccess } from '../network/api-access';
import { ManagedPolicyRole } from './managed-policy-role';

export interface SecureFunctionProps {
  /** Path of the TypeScript handler file, bundled locally with esbuild (no Docker). */
  readonly entry: string;
  /** Exported handler name. @default 'handler' */
  readonly handler?: string;
  readonly description: string;
  readonly vpc: ec2.IVpc;
  /** Private subnets with a path to the AWS APIs it calls (endpoints or NAT). */
  readonly subnets: ec2.SubnetSelection;
  /**
   * Encrypts environment variables and the dead-letter queue; its policy must admit this
   * account's principals via Lambda and SQS (`kms:ViaService`).
   */
  readonly key: kms.IKey;
  /** Encrypts the function's log group. */
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  readonly environment?: Record<string, string>;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** Caps concurrent runs, so a flood of events cannot exhaust the account's concurrency. @default 2 */
  readonly reservedConcurrency?: number;
  /**
   * Acknowledge the Resource * finding of the unscoped actions here. A provider acknowledges it once for all its
   * functions instead. @default true
   */
  readonly acknowledgeUnscopedActions?: boolean;
  /**
   * AWS services the handler calls, by endpoint name (`kms`, `secretsmanager`, `s3`, `dynamodb`, `iam`, …). With the
   * VPC's `ApiAccess` registered, the group sends HTTPS only to the endpoints of these services, and through NAT only
   * to those without an endpoint in the VPC. A function that answers CloudFormation itself calls `s3`.
   * @default - HTTPS to anywhere
   */
  readonly calls?: readonly string[];
  /** Destinations outside AWS the handler reaches through NAT (e.g. a webhook host), named in the egress rule. @default - none */
  readonly internet?: readonly string[];
}

/**
 * A Lambda function with every control the rule packs ask for, set
 * explicitly: in the VPC's private subnets behind its own security group
 * (HTTPS out only, to the endpoints of the services it calls where the VPC
 * has them), reserved concurrency, a KMS-encrypted dead-letter queue,
 * environment encrypted with a customer key, X-Ray tracing, a KMS-encrypted
 * log group with retention, JSON logs, and a role whose permissions live in a
 * customer-managed policy.
 */
export class SecureFunction extends Construct implements iam.IGrantable, ec2.IConnectable {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;
  readonly connections: ec2.Connections;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: SecureFunctionProps) {
    super(scope, id);
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.grantPrincipal = this.role;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Lambda sends failed events as the function's role, and SQS encrypts them with the queue's key for that role.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLettersEncrypted',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    acknowledge(this.deadLetterQueue, {
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the function; a dead-letter queue of a dead-letter queue would only move the same events',
    });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.description}: HTTPS out only`,
      allowAllOutbound: false,
    });
    const access = ApiAccess.of(props.vpc);
    if (props.calls && access) access.allowEgress(securityGroup, props.calls, props.internet);
    else if (props.internet) securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), `Through NAT: ${props.internet.join(', ')}`.slice(0, 255));
    else securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs through endpoints or NAT, and webhooks');
    this.connections = securityGroup.connections;

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [securityGroup],
      environment: props.environment,
      environmentEncryption: props.key,
      deadLetterQueue: this.deadLetterQueue,
      reservedConcurrentExecutions: props.reservedConcurrency ?? 2,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: { minify: true, sourceMap: true, target: 'node24', format: nodejs.OutputFormat.CJS, forceDockerBundling: false },
    });
    allowVpcAndLogs(this.role, logGroup);
    if (props.acknowledgeUnscopedActions === false) return;
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the actions that support no resource-level permission carry Resource *: X-Ray PutTraceSegments/PutTelemetryRecords and the EC2 network-interface calls Lambda makes to attach to the VPC',
    });
  }
}

/** Actions Lambda calls as the function's role to attach it to the VPC; none takes a resource. */
const VPC_ATTACHMENT_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * What the Lambda L2 grants only to roles it creates itself: attaching to the
 * VPC, and writing to the function's own log group (nothing else).
 * (The log group ARN attribute ends in `:*`, which covers its streams.)
 */
export function allowVpcAndLogs(role: iam.IRole, logGroup: logs.ILogGroup): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: VPC_ATTACHMENT_ACTIONS, resources: ['*'] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
}
