import { RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import type { Tier } from '../../config';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';

export interface IncidentResponseOptions {
  readonly findingTypes: readonly string[];
  readonly minimumSeverity: number;
  readonly autoIsolate: boolean;
  readonly autoScalingAction: 'standby' | 'detach';
  readonly memoryCapture: boolean;
  readonly dryRun: boolean;
  readonly untrackWaitSeconds: number;
}

export interface IncidentWorkflowsProps {
  readonly vpc: ec2.IVpc;
  /** The tiers' network ACLs, in which containment writes deny entries. */
  readonly networkAcls: Readonly<Record<Tier, ec2.INetworkAcl>>;
  readonly endpointsSecurityGroup: ec2.ISecurityGroup;
  readonly evidenceBucket: s3.IBucket;
  readonly evidenceKey: kms.IKey;
  readonly notificationTopic: sns.ITopic;
  readonly options: IncidentResponseOptions;
}

/**
 * Placeholder with the isolation and release workflows' public interface, so
 * the Response stack composes and synthesizes; the workflows themselves
 * (state machines, handlers, triggers) replace it.
 */
export class IncidentWorkflows extends Construct {
  readonly isolation: sfn.IStateMachine;
  readonly release: sfn.IStateMachine;

  constructor(scope: Construct, id: string, props: IncidentWorkflowsProps) {
    super(scope, id);
    this.isolation = this.workflow('Isolation', props.evidenceKey);
    this.release = this.workflow('Release', props.evidenceKey);
    acknowledge(this, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'The state machine roles hold Resource * only for X-Ray tracing and Step Functions log delivery, which support no resource-level permission',
    });
  }

  grantStartIsolation(grantee: iam.IGrantable): iam.Grant {
    return this.isolation.grantStartExecution(grantee);
  }

  grantStartRelease(grantee: iam.IGrantable): iam.Grant {
    return this.release.grantStartExecution(grantee);
  }

  private workflow(id: string, key: kms.IKey): sfn.StateMachine {
    const group = new logs.LogGroup(this, `${id}Logs`, { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const role = new ManagedPolicyRole(this, `${id}Role`, { assumedBy: new iam.ServicePrincipal('states.amazonaws.com'), description: `${id} workflow` });
    return new sfn.StateMachine(this, id, {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(this, `${id}Start`)),
      role,
      tracingEnabled: true,
      logs: { destination: group, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }
}
