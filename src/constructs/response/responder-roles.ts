import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import type { EvidenceBucket } from './evidence-bucket';
import type { IncidentWorkflows } from './incident-workflows';

export interface ResponderRolesProps {
  /** Prefix of both role names, e.g. `sra-app-dev`: the names are fixed so responders know them before an incident. */
  readonly namePrefix: string;
  /** Who may assume the responder role (and the investigator role). Empty: this account's IAM principals allowed by their own policies. */
  readonly trustedPrincipalArns: readonly string[];
  /** Who else may assume the investigator role. */
  readonly investigatorPrincipalArns: readonly string[];
  /** Longest session, in minutes (at most 60). */
  readonly maxSessionMinutes: number;
  readonly evidence: EvidenceBucket;
  readonly workflows: IncidentWorkflows;
  /** Every assumption of either role, successful or refused, is sent here (the findings routing's targets). */
  readonly alarmTargets: readonly events.IRuleTarget[];
}

/** A human session: signed in with MFA, within the last hour. */
const HUMAN_WITH_MFA = {
  Bool: { 'aws:MultiFactorAuthPresent': 'true' },
  NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
};

const SECURITY_AUDIT = 'SecurityAudit';

/**
 * The pillar's "determine the access your team members need ahead of time":
 * two roles prepared before any incident, both assumable only by the
 * configured principals with MFA, for at most an hour, and every assumption
 * sent to the security team.
 * - investigator: AWS's SecurityAudit (configuration metadata, no data) and evidence read;
 * - responder: the same, plus starting the isolation and release workflows (break-glass).
 * Neither can delete evidence (the bucket policy denies it to everyone) or write anything else.
 */
export class ResponderRoles extends Construct {
  readonly investigator: iam.Role;
  readonly responder: iam.Role;
  /** The responder role's name as a literal, for stacks that attach policies to it without a reference to this one. */
  readonly responderRoleName: string;
  /** The rule that reports every AssumeRole of either role. */
  readonly assumeRoleAlarm: events.Rule;

  constructor(scope: Construct, id: string, props: ResponderRolesProps) {
    super(scope, id);
    if (props.maxSessionMinutes > 60) throw new Error(`${this.node.path}: responder sessions last at most 60 minutes (got ${props.maxSessionMinutes})`);
    const session = Duration.minutes(props.maxSessionMinutes);

    this.investigator = this.role('Investigator', {
      roleName: `${props.namePrefix}-investigator`,
      description: 'Incident investigator: reads configuration and evidence; changes nothing',
      principals: [...new Set([...props.trustedPrincipalArns, ...props.investigatorPrincipalArns])],
      session,
    });
    this.responderRoleName = `${props.namePrefix}-responder`;
    this.responder = this.role('Responder', {
      roleName: this.responderRoleName,
      description: 'Incident responder (break-glass): starts isolation and release, reads configuration and evidence',
      principals: [...props.trustedPrincipalArns],
      session,
    });
    for (const role of [this.investigator, this.responder]) props.evidence.grantRead(role);
    props.workflows.grantStartIsolation(this.responder);
    props.workflows.grantStartRelease(this.responder);

    acknowledge(this, {
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${SECURITY_AUDIT}]`,
      reason: 'SecurityAudit is the AWS-maintained read-only policy for configuration metadata (no object or secret data); AWS extends it as services are added, which a copy would miss during an incident',
    });
    const bucketId = Stack.of(this).getLogicalId(props.evidence.bucket.node.defaultChild as CfnElement);
    acknowledge(this, {
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      reason: 'Evidence object keys are case ids and file names created during incidents; the roles read (never write or delete) objects of the evidence bucket only',
    });

    this.assumeRoleAlarm = new events.Rule(this, 'AssumeRoleAlarm', {
      description: 'Every AssumeRole of the incident investigator or responder role',
      eventPattern: {
        source: ['aws.sts'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['sts.amazonaws.com'],
          eventName: ['AssumeRole'],
          requestParameters: { roleArn: [this.investigator.roleArn, this.responder.roleArn] },
        },
      },
      targets: [...props.alarmTargets],
    });
  }

  private role(id: string, spec: { roleName: string; description: string; principals: readonly string[]; session: Duration }): iam.Role {
    const principals: iam.IPrincipal[] = spec.principals.length ? spec.principals.map((arn) => new iam.ArnPrincipal(arn)) : [new iam.AccountRootPrincipal()];
    const role = new ManagedPolicyRole(this, id, {
      roleName: spec.roleName,
      description: spec.description,
      assumedBy: new iam.PrincipalWithConditions(principals[0]!, HUMAN_WITH_MFA),
      maxSessionDuration: spec.session,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(SECURITY_AUDIT)],
    });
    for (const principal of principals.slice(1)) {
      role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [principal], conditions: HUMAN_WITH_MFA }));
    }
    return role;
  }
}
