import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAll } from '../../compliance';
import { ManagedPolicyRole } from './managed-policy-role';
import { allowVpcAndLogs, SecureFunction } from './secure-function';
import { serviceTimeoutFor } from './service-timeout';
import { arnOfThisAccount, serviceTrustConditions } from './service-trust';

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
  /** How long the waiter polls before giving up; with the margin below, at most CloudFormation's one-hour limit. @default 30 minutes */
  readonly totalTimeout?: Duration;
  /** @default 30 seconds */
  readonly queryInterval?: Duration;
  /** AWS services the handlers call, by endpoint name (see `SecureFunctionProps.calls`). @default - HTTPS to anywhere */
  readonly calls?: readonly string[];
}

const HANDLER_TIMEOUT = Duration.minutes(2);
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
  /**
   * The `serviceTimeout` for custom resources of this provider: the longest the provider can take (the handler's
   * timeout, or the waiter's total timeout) plus a margin for the framework to report. CloudFormation then fails a
   * resource whose handler cannot answer after this, instead of after its default hour.
   */
  readonly serviceTimeout: Duration;

  constructor(scope: Construct, id: string, props: SecureProviderProps) {
    super(scope, id);
    const common = {
      entry: props.entry,
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      timeout: HANDLER_TIMEOUT,
      acknowledgeUnscopedActions: false,
    };
    const totalTimeout = props.totalTimeout ?? Duration.minutes(30);
    this.serviceTimeout = serviceTimeoutFor(this, props.withIsComplete ? totalTimeout : HANDLER_TIMEOUT);
    // The framework's functions share the start handler's group: they invoke the handlers (Lambda), start the
    // waiter (Step Functions) and answer CloudFormation (S3).
    const frameworkCalls = ['lambda', 's3', ...(props.withIsComplete ? ['states'] : [])];
    const calls = (own: readonly string[]) => (props.calls ? [...props.calls, ...own] : undefined);
    this.onEvent = new SecureFunction(this, 'OnEvent', { ...common, handler: 'onEvent', description: `${props.description}: start`, calls: calls(frameworkCalls) });
    this.isComplete = props.withIsComplete
      ? new SecureFunction(this, 'IsComplete', { ...common, handler: 'isComplete', description: `${props.description}: progress`, calls: calls([]) })
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
    for (const role of [onEventRole, ...(waitRole ? [waitRole] : [])]) allowVpcAndLogs(role, frameworkLogs);
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEvent.function,
      isCompleteHandler: this.isComplete?.function,
      ...(props.withIsComplete
        ? {
            queryInterval: props.queryInterval ?? Duration.seconds(30),
            totalTimeout,
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
    // Acknowledged once on this construct, covering exactly the roles and policies it creates.
    acknowledge(this, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Roles here hold Resource * only for actions without resource-level permissions (X-Ray, VPC interfaces, log delivery); a test checks every one against the unscoped list',
    });
    const invokes = (fns: readonly { function: { node: { defaultChild?: unknown } } }[]) => {
      for (const fn of fns) {
        acknowledge(this, {
          id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn.function.node.defaultChild as CfnElement)}.Arn>:*]`,
          reason: 'lambda:InvokeFunction on a handler of this provider and its versions (ARN:*), as the CDK grant writes it; no other function',
        });
      }
    };
    // The framework's functions hand requests to both handlers, whichever role runs them.
    invokes([this.onEvent, ...(this.isComplete ? [this.isComplete] : [])]);
    this.acknowledgeFramework();
  }

  /**
   * The provider framework's own functions and waiter belong to the CDK, which exposes no setting for
   * the findings below. Acknowledged once on the framework's scopes, which hold nothing of ours.
   */
  private acknowledgeFramework(): void {
    const reason = (what: string) =>
      `The CDK provider framework's ${what} is invoked only by CloudFormation and its waiter during deployments, one request at a time; the framework exposes no setting for it`;
    acknowledgeAll(
      this.provider,
      ['NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ', 'PCI.DSS.321-LambdaDLQ', 'HIPAA.Security-LambdaConcurrency', 'HIPAA.Security-LambdaDLQ', 'AwsSolutions-L1'],
      reason('functions (reserved concurrency, dead-letter queue, runtime)'),
    );
    const waiter = this.provider.node.tryFindChild('waiter-state-machine');
    if (!waiter) return;
    // The framework writes the waiter role's trust itself; Step Functions sends the state machine as source.
    const waiterRole = waiter.node.tryFindChild('Role')?.node.defaultChild as iam.CfnRole | undefined;
    waiterRole?.addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Condition', serviceTrustConditions(arnOfThisAccount('states', 'stateMachine:*')));
    acknowledge(waiter, { id: 'AwsSolutions-SF2', reason: reason('waiter state machine (X-Ray tracing)') });
    acknowledgeAll(waiter, ['NIST.800.53.R5-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy'], reason('waiter role (inline policy)'));
    acknowledge(waiter, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Step Functions log delivery to CloudWatch Logs uses the logs:*LogDelivery and resource-policy actions, which support no resource-level permission',
    });
    const stack = Stack.of(this);
    for (const fn of ['isComplete', 'onTimeout']) {
      const target = this.provider.node.tryFindChild(`framework-${fn}`)?.node.defaultChild as CfnElement | undefined;
      if (!target) continue;
      acknowledge(waiter, {
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(target)}.Arn>:*]`,
        reason: "The waiter may invoke only the framework function it polls with, and that function's versions (ARN:*)",
      });
    }
  }
}
