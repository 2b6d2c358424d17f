import { type CfnElement, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAll } from '../../compliance';
import { ManagedPolicyRole } from './managed-policy-role';
import { SecureFunction } from './secure-function';

export interface SecureProviderProps {
  /** Handler file exporting `onEvent` and, when `withIsComplete`, `isComplete`. */
  readonly entry: string;
  readonly description: string;
  /** Whether the resource takes time to settle; the framework's Step Functions waiter then polls `isComplete`. */
  readonly withIsComplete: boolean;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** How long the waiter polls before giving up. @default 30 minutes */
  readonly totalTimeout?: Duration;
  /** @default 30 seconds */
  readonly queryInterval?: Duration;
}

/**
 * A CloudFormation custom-resource provider built on the CDK provider
 * framework, with the project's handlers as SecureFunctions and the
 * framework's own functions, waiter state machine and logs placed in the VPC,
 * encrypted and logged. Waiting is the waiter state machine's job, never a
 * sleeping Lambda's.
 */
export class SecureProvider extends Construct {
  readonly onEvent: SecureFunction;
  readonly isComplete?: SecureFunction;
  readonly provider: cr.Provider;

  constructor(scope: Construct, id: string, props: SecureProviderProps) {
    super(scope, id);
    const common = {
      entry: props.entry,
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.minutes(2),
    };
    this.onEvent = new SecureFunction(this, 'OnEvent', { ...common, handler: 'onEvent', description: `${props.description}: start` });
    this.isComplete = props.withIsComplete
      ? new SecureFunction(this, 'IsComplete', { ...common, handler: 'isComplete', description: `${props.description}: progress` })
      : undefined;

    const frameworkLogs = new logs.LogGroup(this, 'FrameworkLogs', {
      encryptionKey: props.logsKey,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const waiterLogs = props.withIsComplete
      ? new logs.LogGroup(this, 'WaiterLogs', {
          encryptionKey: props.logsKey,
          retention: props.logRetentionDays as logs.RetentionDays,
          removalPolicy: RemovalPolicy.RETAIN,
        })
      : undefined;
    // Two roles, as one shared role would make the waiter and the framework functions depend on each other.
    const frameworkRole = (name: string, what: string) =>
      new ManagedPolicyRole(this, name, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `${props.description}: custom-resource framework, ${what}`,
      });
    const onEventRole = frameworkRole('FrameworkRole', 'start');
    const waitRole = props.withIsComplete ? frameworkRole('FrameworkWaitRole', 'progress and timeout') : undefined;
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEvent.function,
      isCompleteHandler: this.isComplete?.function,
      ...(props.withIsComplete
        ? {
            queryInterval: props.queryInterval ?? Duration.seconds(30),
            totalTimeout: props.totalTimeout ?? Duration.minutes(30),
            // The framework turns waiter logging off unless told otherwise.
            disableWaiterStateMachineLogging: false,
            waiterStateMachineLogOptions: { destination: waiterLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
          }
        : {}),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.onEvent.connections.securityGroups[0]!],
      frameworkOnEventRole: onEventRole,
      frameworkCompleteAndTimeoutRole: waitRole,
      logGroup: frameworkLogs,
      providerFunctionEnvEncryption: props.key,
    });
    for (const role of [onEventRole, ...(waitRole ? [waitRole] : [])]) {
      acknowledge(role, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'The framework roles hold only the unscoped X-Ray and VPC network-interface actions beside invoking their own handlers; a test checks every Resource * action against the unscoped list',
      });
    }
    const invokes = (role: Construct, fns: readonly { function: { node: { defaultChild?: unknown } } }[]) => {
      for (const fn of fns) {
        acknowledge(role, {
          id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn.function.node.defaultChild as CfnElement)}.Arn>:*]`,
          reason: 'lambda:InvokeFunction on a handler of this provider and its versions (ARN:*), as the CDK grant writes it; no other function',
        });
      }
    };
    // The framework's functions hand requests to both handlers, whichever role runs them.
    const handlers = [this.onEvent, ...(this.isComplete ? [this.isComplete] : [])];
    invokes(onEventRole, handlers);
    if (waitRole) invokes(waitRole, handlers);
    this.acknowledgeFramework();
  }

  /** The provider framework's own functions and waiter are CDK's: their settings the framework does not expose. */
  private acknowledgeFramework(): void {
    const reason = (what: string) =>
      `The CDK provider framework's ${what} is invoked only by CloudFormation and its waiter during deployments, one request at a time; the framework exposes no setting for it`;
    const stack = Stack.of(this);
    for (const child of this.provider.node.findAll()) {
      if (!(child instanceof CfnResource) || !child.node.scope) continue;
      const type = child.cfnResourceType;
      if (type === 'AWS::StepFunctions::StateMachine') {
        acknowledge(child, { id: 'AwsSolutions-SF2', reason: reason('waiter state machine (X-Ray tracing)') });
      }
      if (type === 'AWS::IAM::Policy' && child.node.path.includes('waiter-state-machine')) {
        acknowledgeAll(child, ['NIST.800.53.R5-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy'], reason('waiter role (inline policy)'));
        acknowledge(child, {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'Step Functions log delivery to CloudWatch Logs uses the logs:*LogDelivery and resource-policy actions, which support no resource-level permission',
        });
        for (const fn of ['isComplete', 'onTimeout']) {
          const target = this.provider.node.tryFindChild(`framework-${fn}`)?.node.defaultChild as CfnElement | undefined;
          if (target) {
            acknowledge(child, {
              id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(target)}.Arn>:*]`,
              reason: 'The waiter may invoke only the framework function it polls with, and that function\'s versions (ARN:*)',
            });
          }
        }
      }
      if (type === 'AWS::Lambda::Function') {
        acknowledgeAll(
          child,
          ['NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ', 'PCI.DSS.321-LambdaDLQ', 'HIPAA.Security-LambdaConcurrency', 'HIPAA.Security-LambdaDLQ', 'AwsSolutions-L1'],
          reason('function (reserved concurrency, dead-letter queue, runtime)'),
        );
      }
    }
  }
}
