import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  AssociateIamInstanceProfileCommand,
  AttachNetworkInterfaceCommand,
  AuthorizeSecurityGroupEgressCommand,
  CreateLaunchTemplateCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeNetworkAclsCommand,
  ModifyInstanceAttributeCommand,
  EC2Client,
  ReplaceNetworkAclAssociationCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { IncidentClients, IncidentSettings } from '../../../functions/incident-shared/clients';
import { MOTO_ACCOUNT, type Moto } from '../../helpers/moto';

export const REGION = 'eu-west-1';
/** One of moto's built-in images; listing them all takes seconds. */
export const MOTO_IMAGE = 'ami-12c6146b';

export interface Account {
  readonly clients: IncidentClients;
  readonly ec2: EC2Client;
  readonly autoscaling: AutoScalingClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly settings: IncidentSettings;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly networkAclId: string;
  readonly appGroupId: string;
  readonly adminGroupId: string;
  readonly endpointsGroupId: string;
  readonly targetGroupArn: string;
  readonly groupName: string;
  readonly roleName: string;
  readonly profileArn: string;
  readonly launchTemplateId: string;
}

/** Clients bound to moto; each wrapped so a test can count or fail calls. */
export function clientsFor(server: Moto) {
  const config = server.clientConfig(REGION);
  return {
    ec2: new EC2Client(config),
    autoscaling: new AutoScalingClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    iam: new IAMClient(config),
    s3: new S3Client(config),
    sns: new SNSClient(config),
    ssm: new SSMClient(config),
    kms: new KMSClient(config),
  };
}

let counter = 0;

/**
 * The account an incident happens in, as the workload builds it: a VPC with
 * two app subnets under one network ACL (allow rules from 100 up, 1-99
 * reserved), the app group, an Auto Scaling group behind a target group, an
 * instance role and profile, the two containment groups, a forensic profile,
 * an evidence bucket with Object Lock, a key and a topic.
 */
export async function buildAccount(server: Moto, overrides: Partial<IncidentSettings> = {}): Promise<Account> {
  const c = clientsFor(server);
  const n = ++counter;
  const vpcId = (await c.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${n}.0.0/16` }))).Vpc!.VpcId!;
  const subnetIds: string[] = [];
  for (const i of [1, 2]) {
    const s = await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${n}.${i}.0/24`, AvailabilityZone: `${REGION}a` }));
    subnetIds.push(s.Subnet!.SubnetId!);
  }
  const networkAclId = (await c.ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
  const acls = await c.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: subnetIds }] }));
  for (const acl of acls.NetworkAcls ?? []) {
    for (const a of acl.Associations ?? []) {
      if (subnetIds.includes(a.SubnetId!)) await c.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: a.NetworkAclAssociationId!, NetworkAclId: networkAclId }));
    }
  }
  for (const egress of [false, true]) {
    await c.ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: networkAclId, RuleNumber: 100, Egress: egress, RuleAction: 'allow', Protocol: '6', CidrBlock: '10.0.0.0/8', PortRange: { From: 443, To: 443 } }));
    await c.ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: networkAclId, RuleNumber: 110, Egress: egress, RuleAction: 'allow', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } }));
  }
  const group = async (name: string) => (await c.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `${name}-${n}`, Description: name }))).GroupId!;
  const appGroupId = await group('app');
  const adminGroupId = await group('admin');
  const endpointsGroupId = await group('endpoints');
  const untrackGroupId = await group('untrack');
  const isolationGroupId = await group('isolation');
  await c.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: isolationGroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  await c.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: isolationGroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: endpointsGroupId }] }] }));

  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const roleName = `app-role-${n}`;
  await c.iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }));
  const profile = await c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: `app-profile-${n}` }));
  await c.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: `app-profile-${n}`, RoleName: roleName }));
  await c.iam.send(new CreateRoleCommand({ RoleName: `forensic-role-${n}`, AssumeRolePolicyDocument: trust }));
  const forensic = await c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: `forensic-profile-${n}` }));
  await c.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: `forensic-profile-${n}`, RoleName: `forensic-role-${n}` }));

  const tg = await c.elbv2.send(new CreateTargetGroupCommand({ Name: `app-${n}`, Protocol: 'HTTPS', Port: 8443, VpcId: vpcId, TargetType: 'instance' }));
  const targetGroupArn = tg.TargetGroups![0]!.TargetGroupArn!;
  const image = (await c.ec2.send(new DescribeImagesCommand({ ImageIds: [MOTO_IMAGE] }))).Images![0]!.ImageId!;
  const lt = await c.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `app-${n}`,
      LaunchTemplateData: {
        ImageId: image,
        InstanceType: 't3.micro',
        SecurityGroupIds: [appGroupId, adminGroupId],
        IamInstanceProfile: { Arn: profile.InstanceProfile!.Arn },
      },
    }),
  );
  const groupName = `app-${n}`;
  await c.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: groupName,
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId!, Version: '$Latest' },
      MinSize: 1,
      MaxSize: 4,
      DesiredCapacity: 1,
      VPCZoneIdentifier: subnetIds[0],
      TargetGroupARNs: [targetGroupArn],
    }),
  );

  const key = await c.kms.send(new CreateKeyCommand({ Description: 'evidence' }));
  const bucket = `evidence-${n}-${Date.now()}`;
  await c.s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  await c.s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } } } }));
  const topic = await c.sns.send(new CreateTopicCommand({ Name: `findings-${n}` }));

  const settings: IncidentSettings = {
    partition: 'aws',
    region: REGION,
    account: MOTO_ACCOUNT,
    evidenceBucket: bucket,
    evidenceKeyArn: key.KeyMetadata!.Arn!,
    topicArn: topic.TopicArn!,
    untrackGroupId,
    isolationGroupId,
    forensicProfileArn: forensic.InstanceProfile!.Arn!,
    forensicProfileName: `forensic-profile-${n}`,
    autoScalingAction: 'standby',
    memoryCapture: false,
    memoryDocument: 'IncidentMemoryCapture',
    dryRunDefault: false,
    ...overrides,
  };
  // The steps get clients of their own, so tests can count or fail their calls without touching the set-up's and checks'.
  const { kms: _kms, ...clients } = clientsFor(server);
  void _kms;
  return {
    clients,
    ...c,
    settings,
    vpcId,
    subnetIds,
    networkAclId,
    appGroupId,
    adminGroupId,
    endpointsGroupId,
    targetGroupArn,
    groupName,
    roleName,
    profileArn: profile.InstanceProfile!.Arn!,
    launchTemplateId: lt.LaunchTemplate!.LaunchTemplateId!,
  };
}

/**
 * The ASG's instance, given a second interface (in the other app subnet, with a
 * secondary address) and the app instance profile.
 */
export async function compromisedInstance(account: Account): Promise<string> {
  const groups = await account.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [account.groupName] }));
  const instanceId = groups.AutoScalingGroups![0]!.Instances![0]!.InstanceId!;
  return prepareInstance(account, instanceId);
}

export async function prepareInstance(account: Account, instanceId: string): Promise<string> {
  // moto reports an instance's launch groups on every one of its interfaces until a ModifyInstanceAttribute call
  // without groups clears them; EC2 keeps groups per interface. This call (setting the default) brings moto to EC2's model.
  await account.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, InstanceInitiatedShutdownBehavior: { Value: 'stop' } }));
  const eni = await account.ec2.send(
    new CreateNetworkInterfaceCommand({ SubnetId: account.subnetIds[1], Groups: [account.appGroupId], SecondaryPrivateIpAddressCount: 1 }),
  );
  await account.ec2.send(new AttachNetworkInterfaceCommand({ InstanceId: instanceId, NetworkInterfaceId: eni.NetworkInterface!.NetworkInterfaceId!, DeviceIndex: 1 }));
  try {
    await account.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: instanceId, IamInstanceProfile: { Arn: account.profileArn } }));
  } catch {
    // The launch template's profile is already associated.
  }
  return instanceId;
}
