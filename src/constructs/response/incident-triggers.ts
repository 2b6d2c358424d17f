import { acknowledgeTemplateValidation } from '../../compliance';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { eventDeadLetterQueue } from '../detection/event-delivery';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { arnOfThisAccount, servicePrincipalForThisAccount } from '../lambda/service-trust';

export interface IncidentTriggersProps {
  readonly isolation: sfn.IStateMachine;
  /** Encrypts the triggers' dead-letter queue. */
  readonly key: kms.IKey;
  readonly findingTypes: readonly string[];
  readonly minimumSeverity: number;
  /** Whether GuardDuty findings start isolation without a person. */
  readonly autoIsolate: boolean;
}

/** The GuardDuty event pattern: findings about EC2 instances, of the given type prefixes, at or above the severity. */
export function guardDutyPattern(findingTypes: readonly string[], minimumSeverity: number): events.EventPattern {
  return {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Finding'],
    detail: {
      resource: { resourceType: ['Instance'] },
      severity: events.Match.greaterThanOrEqual(minimumSeverity),
      type: events.Match.anyOf(...findingTypes.map((t) => events.Match.prefix(t))),
    },
  };
}

/**
 * What starts the isolation workflow: GuardDuty findings that mean compromise
 * (when automatic isolation is on), and a person choosing "Isolate instance" on
 * a finding in Security Hub. Undeliverable starts go to a dead-letter queue.
 */
export class IncidentTriggers extends Construct {
  readonly guardDutyRule?: events.Rule;
  readonly securityHubAction: securityhub.CfnActionTarget;
  readonly securityHubRule: events.Rule;

  constructor(scope: Construct, id: string, props: IncidentTriggersProps) {
    super(scope, id);
    const deadLetterQueue = eventDeadLetterQueue(this, 'DeadLetters', props.key, 'the isolation workflow triggers');
    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: servicePrincipalForThisAccount('events.amazonaws.com', arnOfThisAccount('events', 'rule/*')),
      description: 'Starts the incident isolation workflow',
    });
    if (props.autoIsolate) {
      this.guardDutyRule = new events.Rule(this, 'GuardDutyFindings', {
        description: `Isolate EC2 instances in GuardDuty findings of severity >= ${props.minimumSeverity} and compromise types`,
        eventPattern: guardDutyPattern(props.findingTypes, props.minimumSeverity),
      });
      this.guardDutyRule.addTarget(
        new targets.SfnStateMachine(props.isolation, {
          role,
          deadLetterQueue,
          retryAttempts: 8,
          input: events.RuleTargetInput.fromObject({
            instanceId: events.EventField.fromPath('$.detail.resource.instanceDetails.instanceId'),
            finding: {
              id: events.EventField.fromPath('$.detail.id'),
              type: events.EventField.fromPath('$.detail.type'),
              severity: events.EventField.fromPath('$.detail.severity'),
              source: 'guardduty',
            },
          }),
        }),
      );
    }
    this.securityHubAction = new securityhub.CfnActionTarget(this, 'IsolateInstanceAction', {
      id: 'IsolateInstance',
      name: 'Isolate instance',
      description: 'Start the incident isolation workflow for the EC2 instance of this finding',
    });
    // The CDK's built-in template validator lacks this type in its regional data, so `cdk synth` failed on it.
    acknowledgeTemplateValidation(this.securityHubAction, {
      id: 'CloudFormation-Validate::F3006',
      reason: 'AWS::SecurityHub::ActionTarget is a published CloudFormation type (Template Reference) wherever Security Hub runs; the validator region table omits it',
    });
    this.securityHubRule = new events.Rule(this, 'SecurityHubIsolateAction', {
      description: 'Security Hub custom action "Isolate instance"',
      eventPattern: {
        source: ['aws.securityhub'],
        detailType: ['Security Hub Findings - Custom Action'],
        resources: [this.securityHubAction.attrActionTargetArn],
      },
    });
    this.securityHubRule.addTarget(
      new targets.SfnStateMachine(props.isolation, {
        role,
        deadLetterQueue,
        retryAttempts: 8,
        input: events.RuleTargetInput.fromObject({ securityHubFinding: events.EventField.fromPath('$.detail.findings[0]') }),
      }),
    );
  }
}
