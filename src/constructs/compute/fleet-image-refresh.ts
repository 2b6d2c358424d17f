import { join } from 'node:path';
import { ArnFormat, type CfnElement, Duration, Stack, Token } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { SecureFunction } from '../lambda/secure-function';

export const FLEET_IMAGE_REFRESH_HANDLER = join(__dirname, '..', '..', '..', 'functions', 'fleet-image-refresh', 'handler.ts');

export interface FleetImageRefreshProps {
  /** The fleet's group; its launch template resolves `parameterName` at each launch. */
  readonly group: autoscaling.IAutoScalingGroup;
  /** The SSM parameter the image pipeline writes the AMI id to. */
  readonly parameterName: string;
  /** Share of the group kept in service during the refresh (50-100). */
  readonly minHealthyPercentage: number;
  /** @default 5 minutes (the group's default instance warmup) */
  readonly instanceWarmup?: Duration;
  readonly vpc: ec2.IVpc;
  /** Private subnets with a path to the Auto Scaling API. */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the handler's environment and dead-letter queue. */
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * Rolls the fleet when its image changes: an EventBridge rule on Systems
 * Manager's "Parameter Store Change" event for the image parameter (written
 * by each Image Builder build) invokes a handler that starts an instance
 * refresh of the group, launching before terminating so capacity is kept.
 */
export class FleetImageRefresh extends Construct {
  readonly rule: events.Rule;
  readonly handler: SecureFunction;

  constructor(scope: Construct, id: string, props: FleetImageRefreshProps) {
    super(scope, id);
    const min = props.minHealthyPercentage;
    if (!Number.isInteger(min) || min < 50 || min > 100) throw new Error(`${this.node.path}: minHealthyPercentage must be a whole number from 50 to 100 (got ${min})`);
    this.handler = new SecureFunction(this, 'Handler', {
      entry: FLEET_IMAGE_REFRESH_HANDLER,
      description: 'Starts an instance refresh of the app fleet when its image parameter changes',
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      calls: ['autoscaling'],
      // One refresh at a time is all the group accepts.
      reservedConcurrency: 1,
      environment: {
        GROUP_NAME: props.group.autoScalingGroupName,
        PARAMETER_NAME: props.parameterName,
        MIN_HEALTHY_PERCENTAGE: String(min),
        INSTANCE_WARMUP_SECONDS: String((props.instanceWarmup ?? Duration.minutes(5)).toSeconds()),
      },
    });
    const stack = Stack.of(this);
    const group = stack.formatArn({ service: 'autoscaling', resource: 'autoScalingGroup', resourceName: `*:autoScalingGroupName/${props.group.autoScalingGroupName}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RefreshTheFleetOnly', actions: ['autoscaling:StartInstanceRefresh'], resources: [group] }));
    const groupId = stack.getLogicalId(props.group.node.defaultChild as CfnElement);
    const literal = !Token.isUnresolved(stack.region) && !Token.isUnresolved(stack.account);
    acknowledge(this.handler.role, {
      // The finding names the ARN as rendered: literal region and account in an environment-specific stack.
      id: `AwsSolutions-IAM5[Resource::${literal ? `arn:${stack.partition}:autoscaling:${stack.region}:${stack.account}` : 'arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>'}:autoScalingGroup:*:autoScalingGroupName/<${groupId}>]`,
      reason: 'A group ARN carries an id assigned at creation; the group is named exactly and only the id is a wildcard, so the handler can refresh this group and no other',
    });
    this.rule = new events.Rule(this, 'ImageChanged', {
      description: `The fleet's image parameter ${props.parameterName} changed: roll the fleet`,
      eventPattern: {
        source: ['aws.ssm'],
        detailType: ['Parameter Store Change'],
        detail: { name: [props.parameterName], operation: ['Update'] },
      },
      targets: [new targets.LambdaFunction(this.handler.function, { deadLetterQueue: this.handler.deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }
}
