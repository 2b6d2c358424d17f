import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';

/** Tag every volume the clean-room tool creates carries, with the case id as value. */
export const CASE_TAG = 'sra:case';

export interface CleanRoomOperatorProps {
  /** Names of the roles that run `npm run clean-room` (the responder role). */
  readonly roleNames: readonly string[];
  /** The workstation the volumes attach to. */
  readonly workstationArn: string;
  /** Encrypts the snapshots of the fleet's volumes (the key ring's data key). */
  readonly snapshotKey: kms.IKey;
  /** Encrypts the volumes made from them (the clean room's key). */
  readonly volumeKey: kms.IKey;
}

/**
 * What `npm run clean-room` needs, attached to the responder role by name so
 * this optional stack adds it without a reference back into the Response
 * stack: create volumes from snapshots only when tagged with a case, tag only
 * while creating, attach only to the workstation, and re-encrypt from the
 * snapshot key to the clean room's key through EC2.
 */
export class CleanRoomOperator extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: CleanRoomOperatorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const ec2Arn = (resource: string) => `arn:${Aws.PARTITION}:ec2:${stack.region}:${stack.account}:${resource}`;
    const snapshots = `arn:${Aws.PARTITION}:ec2:${stack.region}::snapshot/*`;
    const volumes = ec2Arn('volume/*');
    const viaEc2 = { 'kms:ViaService': `ec2.${stack.region}.amazonaws.com` };
    this.policy = new iam.ManagedPolicy(this, 'Resource', {
      description: 'Clean-room operator: volumes from a case\'s snapshots, attached to the forensic workstation',
      roles: props.roleNames.map((name, i) => iam.Role.fromRoleName(this, `Role${i}`, name)),
      statements: [
        new iam.PolicyStatement({ sid: 'ReadSnapshots', actions: ['ec2:CreateVolume'], resources: [snapshots] }),
        new iam.PolicyStatement({
          sid: 'CreateCaseVolumes',
          actions: ['ec2:CreateVolume'],
          resources: [volumes],
          conditions: { Null: { [`aws:RequestTag/${CASE_TAG}`]: 'false' }, Bool: { 'ec2:Encrypted': 'true' } },
        }),
        new iam.PolicyStatement({ sid: 'TagWhileCreating', actions: ['ec2:CreateTags'], resources: [volumes], conditions: { StringEquals: { 'ec2:CreateAction': 'CreateVolume' } } }),
        new iam.PolicyStatement({ sid: 'AttachCaseVolumes', actions: ['ec2:AttachVolume'], resources: [volumes], conditions: { Null: { [`aws:ResourceTag/${CASE_TAG}`]: 'false' } } }),
        new iam.PolicyStatement({ sid: 'AttachToWorkstation', actions: ['ec2:AttachVolume'], resources: [props.workstationArn] }),
        new iam.PolicyStatement({
          sid: 'ReEncryptThroughEc2',
          actions: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
          resources: [props.snapshotKey.keyArn, props.volumeKey.keyArn],
          conditions: { StringEquals: viaEc2 },
        }),
      ],
    });
    for (const resource of [snapshots, volumes]) {
      acknowledge(this, {
        id: `AwsSolutions-IAM5[Resource::${resource.replace(Aws.PARTITION, '<AWS::Partition>')}]`,
        reason: 'Snapshot and volume ids of a case are not known before the incident; creating requires the case tag and encryption, attaching requires the case tag and the workstation',
      });
    }
  }
}
