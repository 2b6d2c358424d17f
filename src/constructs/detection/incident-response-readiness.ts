import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';

export interface IncidentResponseReadinessProps {
  /** Create the triage service-linked role; false when the account already has it (one per account). @default true */
  readonly createTriageServiceLinkedRole?: boolean;
  /** Create the containment roles. @default true */
  readonly containmentRoles?: boolean;
}

/** The AWS-owned runbook AWS Security Incident Response runs to contain an instance. */
export const EC2_CONTAINMENT_RUNBOOK = 'AWSSupport-ContainEC2Instance';
/** Role names the service looks for in every member account. */
export const CONTAINMENT_ROLE_NAME = 'AWSSecurityIncidentResponseContainment';
export const CONTAINMENT_EXECUTION_ROLE_NAME = 'AWSSecurityIncidentResponseContainmentExecution';

/**
 * What this account needs for AWS Security Incident Response (the membership
 * itself is the organization's):
 *
 * - the triage service-linked role (`AWSServiceRoleForSecurityIncidentResponse_Triage`),
 *   which lets the service read GuardDuty and Security Hub findings and tune
 *   their suppression rules in this account;
 * - the containment role the service assumes (trusting only
 *   containment.security-ir.amazonaws.com, with this account id as external id),
 *   allowed only to start the EC2 containment runbook and to pass the
 *   execution role to Systems Manager;
 * - the execution role that runbook runs as: swaps the instance's security
 *   groups for a containment group, puts it in Auto Scaling standby, and
 *   images it. Nothing runs until containment preferences are set with AWS.
 */
export class IncidentResponseReadiness extends Construct {
  readonly triageRole?: iam.CfnServiceLinkedRole;
  readonly containmentRole?: iam.Role;
  readonly executionRole?: iam.Role;

  constructor(scope: Construct, id: string, props: IncidentResponseReadinessProps = {}) {
    super(scope, id);
    if (props.createTriageServiceLinkedRole ?? true) {
      this.triageRole = new iam.CfnServiceLinkedRole(this, 'TriageServiceLinkedRole', {
        awsServiceName: 'triage.security-ir.amazonaws.com',
        description: 'AWS Security Incident Response triage of GuardDuty and Security Hub findings',
      });
    }
    if (!(props.containmentRoles ?? true)) return;

    const account = Aws.ACCOUNT_ID;
    const arn = (service: string, resource: string) => `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${account}:${resource}`;

    this.executionRole = new ManagedPolicyRole(this, 'ExecutionRole', {
      roleName: CONTAINMENT_EXECUTION_ROLE_NAME,
      description: 'Runs the AWSSupport-ContainEC2Instance runbook for AWS Security Incident Response',
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadInstancesAndGroups',
        actions: ['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeImages', 'autoscaling:DescribeAutoScalingInstances'],
        resources: ['*'],
      }),
    );
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ContainInstancesOfThisAccount',
        actions: [
          'ec2:CreateSecurityGroup',
          'ec2:AuthorizeSecurityGroupEgress',
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:RevokeSecurityGroupEgress',
          'ec2:RevokeSecurityGroupIngress',
          'ec2:ModifyNetworkInterfaceAttribute',
          'ec2:CreateTags',
          'ec2:CreateImage',
          'ec2:CopyImage',
        ],
        resources: ['instance/*', 'security-group/*', 'network-interface/*', 'vpc/*', 'image/*', 'snapshot/*'].map((r) => arn('ec2', r)),
      }),
    );
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StandbyOfTheFleet',
        actions: ['autoscaling:EnterStandby', 'autoscaling:ExitStandby', 'autoscaling:UpdateAutoScalingGroup'],
        resources: [arn('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*')],
      }),
    );
    acknowledge(this.executionRole, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'EC2 and Auto Scaling Describe calls support no resource-level permissions; the role only reads with them',
    });
    for (const r of ['instance/*', 'security-group/*', 'network-interface/*', 'vpc/*', 'image/*', 'snapshot/*']) {
      acknowledge(this.executionRole, {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:${r}]`,
        reason: 'Containment must act on whichever instance an incident names, known only then; the role is limited to this account and Region, and only AWS Security Incident Response can start it',
      });
    }
    acknowledge(this.executionRole, {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/*]',
      reason: 'A contained instance is put in standby in whichever group launched it; limited to this account and Region',
    });

    this.containmentRole = new ManagedPolicyRole(this, 'ContainmentRole', {
      roleName: CONTAINMENT_ROLE_NAME,
      description: 'Assumed by AWS Security Incident Response to start containment runbooks in this account',
      assumedBy: new iam.ServicePrincipal('containment.security-ir.amazonaws.com'),
      externalIds: [account],
    });
    // The service tags its sessions to tell incidents apart.
    this.containmentRole.assumeRolePolicy?.addStatements(
      new iam.PolicyStatement({ actions: ['sts:TagSession'], principals: [new iam.ServicePrincipal('containment.security-ir.amazonaws.com')] }),
    );
    this.containmentRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StartTheContainmentRunbook',
        actions: ['ssm:StartAutomationExecution'],
        resources: [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}::automation-definition/${EC2_CONTAINMENT_RUNBOOK}:$DEFAULT`],
      }),
    );
    this.containmentRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'FollowTheRunbook', actions: ['ssm:GetAutomationExecution'], resources: [arn('ssm', 'automation-execution/*')] }),
    );
    this.containmentRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassTheExecutionRoleToSsm',
        actions: ['iam:PassRole'],
        resources: [this.executionRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      }),
    );
    acknowledge(this.containmentRole, {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-execution/*]',
      reason: 'Execution ids are made when the runbook starts; the role reads only executions of this account and Region',
    });
  }
}
