import { ArnFormat, Aws, Duration, Stack, Tags } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { acknowledge } from '../../compliance';
import { DeliveredTarget, eventDeadLetterQueue } from '../detection/event-delivery';
import { SecureFunction } from '../lambda/secure-function';

/** The tag on sessions (and the group) that scopes what the function may touch; the handler writes the same key. */
export const MIRROR_FLEET_TAG = 'sra:mirror-fleet';

export interface FleetMirroringProps {
  /** Names the hooks and tags the sessions; unique per account and region (the fleet name). */
  readonly fleetName: string;
  /** The fleet. Its launches wait for their mirror session; its terminations for the session's removal. */
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly vpc: ec2.IVpc;
  /** Where the function runs. */
  readonly subnets: ec2.SubnetSelection;
  /** The mirror target and filter (from the network stack's TrafficMirroring). */
  readonly targetId: string;
  readonly filterId: string;
  /** @default 1 */
  readonly sessionNumber?: number;
  /** @default - AWS assigns one */
  readonly virtualNetworkId?: number;
  /** Encrypts the function's environment and its dead-letter queues. */
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** Receives the alarms on undelivered or failed lifecycle actions. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * Mirroring that follows the fleet: a launch lifecycle hook holds each new
 * instance in Pending:Wait until a function has created a mirror session from
 * its primary network interface to the target, and a terminate hook holds a
 * leaving instance until its session is removed. If the session cannot be
 * made, the launch is abandoned (no unmirrored instance serves) and an alarm
 * fires. The hooks are part of the group itself, so even the instances of a
 * new group are mirrored; the group is created after the function and rule.
 */
export class FleetMirroring extends Construct {
  readonly function: SecureFunction;
  readonly rule: events.Rule;
  readonly hookNames: { readonly launch: string; readonly terminate: string };
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: FleetMirroringProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9-_.]{1,200}$/.test(props.fleetName)) throw new Error(`${this.node.path}: fleetName must be 1-200 letters, digits, - _ or . (got ${JSON.stringify(props.fleetName)})`);
    const sessionNumber = props.sessionNumber ?? 1;
    if (!Number.isInteger(sessionNumber) || sessionNumber < 1 || sessionNumber > 32766) throw new Error(`${this.node.path}: sessionNumber must be 1-32766 (got ${sessionNumber})`);
    this.hookNames = { launch: `${props.fleetName}-mirror-launch`, terminate: `${props.fleetName}-mirror-terminate` };

    this.function = new SecureFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', '..', 'functions', 'fleet-mirroring', 'handler.ts'),
      description: `Mirrors each instance of ${props.fleetName} to the traffic mirror target`,
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      calls: ['ec2', 'autoscaling'],
      environment: {
        FLEET_NAME: props.fleetName,
        HOOK_NAMES: [this.hookNames.launch, this.hookNames.terminate].join(','),
        TARGET_ID: props.targetId,
        FILTER_ID: props.filterId,
        SESSION_NUMBER: String(sessionNumber),
        ...(props.virtualNetworkId !== undefined ? { VIRTUAL_NETWORK_ID: String(props.virtualNetworkId) } : {}),
      },
    });
    // All attempts end well within the hooks' heartbeat (HEARTBEAT), so a lost event abandons the launch rather than hanging it.
    this.function.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.minutes(10) });
    this.grantSessions(props);

    const deliveryDeadLetters = eventDeadLetterQueue(this, 'DeliveryDeadLetters', props.key, 'the fleet mirroring function target');
    this.rule = new events.Rule(this, 'LifecycleActions', {
      description: `Launch and terminate lifecycle actions of ${props.fleetName}, for its mirror sessions`,
      eventPattern: {
        source: ['aws.autoscaling'],
        detailType: ['EC2 Instance-launch Lifecycle Action', 'EC2 Instance-terminate Lifecycle Action'],
        // The hook names, not the group name: a reference to the group would make it wait on nothing here.
        detail: { LifecycleHookName: [this.hookNames.launch, this.hookNames.terminate] },
      },
    });
    this.rule.addTarget(new DeliveredTarget(new targets.LambdaFunction(this.function.function), { deadLetterQueue: deliveryDeadLetters, retry: { attempts: 8, maxEventAge: Duration.minutes(10) } }));

    this.attachHooks(props.autoScalingGroup, props.fleetName);
    this.alarms = [this.alarmOn('FailedActions', this.function.deadLetterQueue, 'failed'), this.alarmOn('UndeliveredActions', deliveryDeadLetters, 'undelivered')];
    for (const alarm of this.alarms) alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }

  /** The hooks go into the group's own definition, and the group waits for the function and rule, so no launch escapes them. */
  private attachHooks(group: autoscaling.AutoScalingGroup, fleetName: string): void {
    const cfn = group.node.defaultChild as autoscaling.CfnAutoScalingGroup;
    cfn.lifecycleHookSpecificationList = [
      // A launch that cannot be mirrored is abandoned: the SRA mirrors sensitive instances, so none serves unmirrored.
      { lifecycleHookName: this.hookNames.launch, lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', defaultResult: 'ABANDON', heartbeatTimeout: HEARTBEAT.toSeconds() },
      // A termination always goes ahead; its session only waits to be cleaned up.
      { lifecycleHookName: this.hookNames.terminate, lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', defaultResult: 'CONTINUE', heartbeatTimeout: HEARTBEAT.toSeconds() },
    ];
    Tags.of(group).add(MIRROR_FLEET_TAG, fleetName, { applyToLaunchedInstances: false });
    group.node.addDependency(this.rule, this.function);
  }

  /**
   * Sessions only from this VPC's interfaces, only to the configured target
   * with the configured filter, only tagged as this fleet's; deletes only of
   * this fleet's sessions; completing lifecycle actions only of this fleet's group.
   */
  private grantSessions(props: FleetMirroringProps): void {
    const stack = Stack.of(this);
    const ec2Arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
    const vpcArn = ec2Arn('vpc', props.vpc.vpcId);
    const role = this.function.role;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeInstances', 'ec2:DescribeTrafficMirrorSessions'], resources: ['*'] }));
    const interfaces = ec2Arn('network-interface', '*');
    const sessions = ec2Arn('traffic-mirror-session', '*');
    const groups = stack.formatArn({ service: 'autoscaling', resource: 'autoScalingGroup', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ec2:CreateTrafficMirrorSession'],
        resources: [interfaces],
        conditions: { StringEquals: { 'ec2:Vpc': vpcArn } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ec2:CreateTrafficMirrorSession'],
        resources: [ec2Arn('traffic-mirror-target', props.targetId), ec2Arn('traffic-mirror-filter', props.filterId)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ec2:CreateTrafficMirrorSession'], resources: [sessions], conditions: { StringEquals: { [`aws:RequestTag/${MIRROR_FLEET_TAG}`]: props.fleetName } } }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:CreateTags'], resources: [sessions], conditions: { StringEquals: { 'ec2:CreateAction': 'CreateTrafficMirrorSession' } } }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ec2:DeleteTrafficMirrorSession'], resources: [sessions], conditions: { StringEquals: { [`aws:ResourceTag/${MIRROR_FLEET_TAG}`]: props.fleetName } } }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['autoscaling:CompleteLifecycleAction'],
        resources: [groups],
        conditions: { StringEquals: { [`autoscaling:ResourceTag/${MIRROR_FLEET_TAG}`]: props.fleetName } },
      }),
    );
    // As cdk-nag prints them: literal in an environment-specific stack, pseudo parameters in angle brackets otherwise.
    const printed = (arn: string) =>
      typeof stack.resolve(arn) === 'string' ? arn : arn.replace(Aws.PARTITION, '<AWS::Partition>').replace(Aws.REGION, '<AWS::Region>').replace(Aws.ACCOUNT_ID, '<AWS::AccountId>');
    for (const arn of [interfaces, sessions, groups]) {
      acknowledge(role, {
        id: `AwsSolutions-IAM5[Resource::${printed(arn)}]`,
        reason:
          'EC2 and Auto Scaling create these interfaces, sessions and groups with ids unknown in advance; each wildcard is held by a condition: interfaces of this VPC, sessions tagged as this fleet\'s (tagging only at creation), the group tagged as this fleet',
      });
    }
  }

  private alarmOn(id: string, queue: sqs.IQueue, what: string): cloudwatch.Alarm {
    return queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }).createAlarm(this, id, {
      alarmDescription: `Fleet lifecycle actions ${what}: an instance launched without a mirror session was abandoned, or a session outlived its instance`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/** How long a launch or termination waits for the function: longer than every retry of it (10 minutes of event age). */
export const HEARTBEAT = Duration.minutes(15);
