import { Aws, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface StepPermissionsProps {
  readonly vpc: ec2.IVpc;
  readonly networkAcls: readonly ec2.INetworkAcl[];
  readonly instanceRoles: readonly iam.IRole[];
  readonly forensicRole: iam.IRole;
  readonly memoryDocumentName?: string;
}

/**
 * What the incident steps may do, as narrow as each API allows: changes to
 * instances, interfaces and groups only inside the workload VPC, ACL entries
 * only in the given ACLs, the deny policy only on the given instance roles,
 * and pass only those roles and the forensic one. Reads of one instance
 * (attribute, console output, screenshot) are held to instances; the list-style
 * Describe calls take no resource at all, and the Auto Scaling and target-group
 * changes take no narrower resource that is known at synth (groups and
 * instances come and go).
 */
export function stepStatements(scope: Construct, props: StepPermissionsProps): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const arn = (service: string, resource: string, region = Aws.REGION) => `arn:${Aws.PARTITION}:${service}:${region}:${Aws.ACCOUNT_ID}:${resource}`;
  const vpcArn = stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: props.vpc.vpcId });
  const inVpc = { ArnEquals: { 'ec2:Vpc': vpcArn } };
  return [
    new iam.PolicyStatement({
      sid: 'Read',
      actions: [
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeNetworkAcls',
        'ec2:DescribeIamInstanceProfileAssociations',
        'ec2:DescribeSnapshots',
        'autoscaling:DescribeAutoScalingInstances',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ],
      resources: ['*'],
    }),
    // These three name one instance and take the instance resource type (Service Authorization Reference).
    new iam.PolicyStatement({
      sid: 'ReadInstances',
      actions: ['ec2:DescribeInstanceAttribute', 'ec2:GetConsoleOutput', 'ec2:GetConsoleScreenshot'],
      resources: [arn('ec2', 'instance/*')],
    }),
    new iam.PolicyStatement({
      sid: 'FreezeAndProfile',
      actions: [
        'ec2:ModifyInstanceAttribute',
        'ec2:CreateTags',
        'ec2:DeleteTags',
        'ec2:AssociateIamInstanceProfile',
        'ec2:ReplaceIamInstanceProfileAssociation',
        'ec2:DisassociateIamInstanceProfile',
      ],
      resources: [arn('ec2', 'instance/*')],
    }),
    new iam.PolicyStatement({
      sid: 'GroupsOfInterfacesInTheVpc',
      actions: ['ec2:ModifyNetworkInterfaceAttribute'],
      resources: [arn('ec2', 'network-interface/*'), arn('ec2', 'security-group/*')],
      conditions: inVpc,
    }),
    new iam.PolicyStatement({
      sid: 'ContainmentEntriesInTheWorkloadAcls',
      actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAclEntry'],
      resources: props.networkAcls.map((acl) => arn('ec2', `network-acl/${acl.networkAclId}`)),
    }),
    new iam.PolicyStatement({
      sid: 'Snapshots',
      actions: ['ec2:CreateSnapshot'],
      resources: [arn('ec2', 'volume/*'), arn('ec2', 'snapshot/*', '')],
    }),
    new iam.PolicyStatement({
      sid: 'TagSnapshotsAtCreation',
      actions: ['ec2:CreateTags'],
      resources: [arn('ec2', 'snapshot/*', '')],
      conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSnapshot' } },
    }),
    new iam.PolicyStatement({
      sid: 'AutoScalingMembership',
      actions: ['autoscaling:EnterStandby', 'autoscaling:ExitStandby', 'autoscaling:DetachInstances', 'autoscaling:AttachInstances'],
      resources: [arn('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*')],
    }),
    new iam.PolicyStatement({
      sid: 'TargetGroupMembership',
      actions: ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'],
      resources: [arn('elasticloadbalancing', 'targetgroup/*/*')],
    }),
    new iam.PolicyStatement({
      sid: 'DenyPolicyOnInstanceRoles',
      actions: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
      resources: props.instanceRoles.map((r) => r.roleArn),
    }),
    new iam.PolicyStatement({
      sid: 'ReadInstanceProfiles',
      actions: ['iam:GetInstanceProfile'],
      resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`],
    }),
    new iam.PolicyStatement({
      sid: 'PassForensicAndInstanceRoles',
      actions: ['iam:PassRole'],
      resources: [props.forensicRole.roleArn, ...props.instanceRoles.map((r) => r.roleArn)],
      conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    }),
    ...(props.memoryDocumentName
      ? [
          new iam.PolicyStatement({
            sid: 'MemoryCapture',
            actions: ['ssm:SendCommand'],
            resources: [arn('ssm', `document/${props.memoryDocumentName}`), arn('ec2', 'instance/*')],
          }),
        ]
      : []),
  ];
}
