import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { AL2023_AMI_PARAMETERS } from '../compute/app-fleet';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';

export interface CleanRoomWorkstationProps {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** The interface endpoints' group: the only place the workstation sends to besides the S3 gateway. */
  readonly endpointsGroup: ec2.ISecurityGroup;
  readonly instanceType: string;
  /** Encrypts the root volume (and, by the clean-room tool, every volume made from a case's snapshots). */
  readonly volumeKey: kms.IKey;
  /** Root volume size; analysis tools and scratch space. @default 30 */
  readonly rootVolumeGiB?: number;
}

/** Tag the workstation carries; the clean-room tool finds it by this. */
export const WORKSTATION_TAG = { key: 'sra:clean-room', value: 'workstation' } as const;

/**
 * A udev rule makes every block device attached after boot read-only in the
 * kernel (nvme0 is the root volume), so evidence volumes cannot be written
 * even by mistake; `mount-evidence` mounts them without journal replay.
 */
const USER_DATA = [
  'cat > /etc/udev/rules.d/90-evidence-read-only.rules <<\'RULE\'',
  'ACTION=="add", SUBSYSTEM=="block", KERNEL=="nvme[1-9]*", RUN+="/usr/sbin/blockdev --setro /dev/%k"',
  'RULE',
  'udevadm control --reload-rules',
  'cat > /usr/local/bin/mount-evidence <<\'SCRIPT\'',
  '#!/bin/sh',
  '# mount-evidence <device> <case-id>: read-only, no journal replay, no atime updates',
  'set -eu',
  'blockdev --setro "$1"',
  'mkdir -p "/cases/$2/$(basename "$1")"',
  'mount -o ro,noload,noatime,nodev,noexec,nosuid "$1" "/cases/$2/$(basename "$1")" 2>/dev/null || mount -o ro,norecovery,noatime,nodev,noexec,nosuid "$1" "/cases/$2/$(basename "$1")"',
  'SCRIPT',
  'chmod 0755 /usr/local/bin/mount-evidence',
  'mkdir -p /cases',
];

/**
 * The forensic workstation: IMDSv2 only, an encrypted root volume, no public
 * address (its subnet maps none), no inbound rule (Session Manager only), HTTPS out only to the
 * endpoints and the S3 gateway, termination protection and detailed monitoring.
 */
export class CleanRoomWorkstation extends Construct {
  readonly instance: ec2.Instance;
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: CleanRoomWorkstationProps) {
    super(scope, id);
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Forensic workstation: Systems Manager and its own output bucket',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'AmazonSSMManagedInstanceCore is the minimum SSM Agent needs for Session Manager, the only way into the workstation; AWS updates it with the agent',
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'Group', {
      vpc: props.vpc,
      description: 'Forensic workstation: no inbound; HTTPS out to the endpoints and the S3 gateway',
      allowAllOutbound: false,
    });
    this.securityGroup.connections.allowTo(props.endpointsGroup, ec2.Port.tcp(443), 'AWS APIs through the interface endpoints');
    // The S3 gateway endpoint has no group to reference; the subnet has no route anywhere else.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'S3 through the gateway endpoint (the only route out)');

    const instanceType = new ec2.InstanceType(props.instanceType);
    const userData = ec2.UserData.forLinux();
    userData.addCommands(...USER_DATA);
    this.instance = new ec2.Instance(this, 'Resource', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      instanceType,
      machineImage: ec2.MachineImage.fromSsmParameter(AL2023_AMI_PARAMETERS[instanceType.architecture]!, { os: ec2.OperatingSystemType.LINUX }),
      role: this.role,
      securityGroup: this.securityGroup,
      userData,
      requireImdsv2: true,
      detailedMonitoring: true,
      ebsOptimized: true,
      disableApiTermination: true,
      ssmSessionPermissions: false,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(props.rootVolumeGiB ?? 30, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
            kmsKey: props.volumeKey,
            deleteOnTermination: true,
          }),
        },
      ],
    });
    this.instance.instance.tags.setTag(WORKSTATION_TAG.key, WORKSTATION_TAG.value);
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Resource * only for logs:DescribeLogGroups, which Session Manager calls to check its log group is encrypted and which supports no resource-level permission',
    });
  }
}
