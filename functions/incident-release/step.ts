import { AttachInstancesCommand, DescribeAutoScalingInstancesCommand, ExitStandbyCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateTagsCommand,
  DeleteNetworkAclEntryCommand,
  DeleteTagsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  ReplaceIamInstanceProfileAssociationCommand,
} from '@aws-sdk/client-ec2';
import { RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteRolePolicyCommand, GetInstanceProfileCommand } from '@aws-sdk/client-iam';
import { act, evidenceKey, newReport, recordKey, TAG, type StepReport } from '../incident-shared/case';
import type { IncidentClients, IncidentSettings } from '../incident-shared/clients';
import { hasCode, refuse } from '../incident-shared/errors';
import { existingDeny } from '../incident-nacl-contain/step';
import { denyPolicyName, profileName } from '../incident-revoke-credentials/step';
import { networkAcl, tagOf } from '../incident-shared/instance';
import { putEvidence, readVerifiedRecord } from '../incident-shared/record';

export interface ReleaseInput {
  readonly caseId: string;
  readonly dryRun?: boolean;
}

const CASE_ID = /^i-[0-9a-f]{8,17}-[A-Za-z0-9-]{1,64}$/;

/**
 * Undoes a case from its record, and only from a record proven unaltered
 * (see readVerifiedRecord): the deny entries leave the ACLs, every interface
 * gets its groups back, the prior instance profile returns and the deny policy
 * goes, the instance leaves Standby (or is attached again) and rejoins its
 * target groups, and the freeze attributes return to what they were. Snapshots
 * and evidence stay.
 */
export async function release(clients: IncidentClients, settings: IncidentSettings, input: ReleaseInput): Promise<StepReport> {
  if (!CASE_ID.test(input.caseId ?? '')) refuse(`caseId must look like i-0123456789abcdef0-<execution name>, got ${JSON.stringify(input.caseId)}`);
  const dryRun = input.dryRun ?? settings.dryRunDefault;
  const report = newReport('release');
  const found = await clients.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: `tag:${TAG.case}`, Values: [input.caseId] }] }));
  const instance = found.Reservations?.flatMap((r) => r.Instances ?? [])[0];
  if (!instance) refuse(`no instance is under case ${input.caseId}: release refused`);
  const { record } = await readVerifiedRecord(clients, settings, recordKey(input.caseId), tagOf(instance, TAG.recordSha256));
  if (record.caseId !== input.caseId || record.instanceId !== instance.InstanceId) refuse(`case record ${input.caseId} names another case or instance: release refused`);
  const id = record.instanceId;
  const prior = record.prior;

  // Network: the deny entries go last from the ACL only after the groups are back, so the instance is never open
  // with its original groups missing; the order below restores groups, then lifts the ACL entries.
  for (const eni of prior.networkInterfaces) {
    await act(report, dryRun, `${eni.networkInterfaceId} security groups back to [${eni.groupIds.join(', ')}]`, () =>
      clients.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.networkInterfaceId, Groups: eni.groupIds })),
    );
  }
  for (const eni of prior.networkInterfaces) {
    if (!eni.networkAclId) continue;
    const acl = await networkAcl(clients, eni.networkAclId);
    for (const ip of eni.privateIps) {
      for (const egress of [false, true]) {
        const n = existingDeny(acl, `${ip}/32`, egress);
        if (n === undefined) continue;
        await act(report, dryRun, `deny ${egress ? 'outbound' : 'inbound'} ${ip}/32 (rule ${n}) removed from ${eni.networkAclId}`, () =>
          clients.ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: eni.networkAclId!, RuleNumber: n, Egress: egress })),
        );
      }
    }
  }

  // Credentials: the prior profile back, then the deny policy off its roles.
  const associations = await clients.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
  const current = associations.IamInstanceProfileAssociations?.find((a) => a.State === 'associated' || a.State === undefined);
  if (prior.instanceProfileArn && current && current.IamInstanceProfile?.Arn !== prior.instanceProfileArn) {
    await act(report, dryRun, `instance profile of ${id} back to ${profileName(prior.instanceProfileArn)}`, () =>
      clients.ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: current.AssociationId!, IamInstanceProfile: { Arn: prior.instanceProfileArn } })),
    );
  } else if (!prior.instanceProfileArn && current) {
    await act(report, dryRun, `forensic instance profile removed from ${id} (it had none)`, () =>
      clients.ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: current.AssociationId! })),
    );
  }
  if (prior.instanceProfileArn) {
    const profile = await clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profileName(prior.instanceProfileArn) }));
    for (const role of profile.InstanceProfile?.Roles ?? []) {
      await act(report, dryRun, `deny policy ${denyPolicyName(id)} removed from role ${role.RoleName}`, async () => {
        try {
          await clients.iam.send(new DeleteRolePolicyCommand({ RoleName: role.RoleName!, PolicyName: denyPolicyName(id) }));
        } catch (error) {
          if (!hasCode(error, 'NoSuchEntity')) throw error;
        }
      });
    }
  }

  // Service: back into the Auto Scaling group and the target groups.
  if (prior.autoScaling?.lifecycleState === 'InService') {
    const now = await clients.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [id] }));
    const state = now.AutoScalingInstances?.[0]?.LifecycleState;
    const group = prior.autoScaling.groupName;
    if (state === 'Standby') {
      await act(report, dryRun, `${id} leaves Standby in ${group}`, () =>
        clients.autoscaling.send(new ExitStandbyCommand({ AutoScalingGroupName: group, InstanceIds: [id] })),
      );
    } else if (state === undefined) {
      await act(report, dryRun, `${id} attached again to ${group}`, () => clients.autoscaling.send(new AttachInstancesCommand({ AutoScalingGroupName: group, InstanceIds: [id] })));
    } else {
      report.done.push(`${id} is ${state} in ${group}: left as it is`);
    }
  }
  for (const tg of prior.targetGroups) {
    await act(report, dryRun, `${id} registered again in ${tg.targetGroupArn}`, () =>
      clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.targetGroupArn, Targets: [{ Id: id, Port: tg.port }] })),
    );
  }

  // Freeze attributes and tags as they were; the case stays findable through incident:released-case.
  await act(report, dryRun, `termination protection of ${id} back to ${prior.disableApiTermination}`, () =>
    clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: prior.disableApiTermination } })),
  );
  await act(report, dryRun, `shutdown behaviour of ${id} back to ${prior.shutdownBehavior}`, () =>
    clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceInitiatedShutdownBehavior: { Value: prior.shutdownBehavior } })),
  );
  for (const v of prior.volumes) {
    await act(report, dryRun, `DeleteOnTermination of ${v.volumeId} back to ${v.deleteOnTermination}`, () =>
      clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, BlockDeviceMappings: [{ DeviceName: v.deviceName, Ebs: { DeleteOnTermination: v.deleteOnTermination } }] })),
    );
  }
  await act(report, dryRun, `case tags of ${id} replaced by ${TAG.releasedCase}=${input.caseId}`, async () => {
    await clients.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: TAG.releasedCase, Value: input.caseId }] }));
    await clients.ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: TAG.case }, { Key: TAG.recordSha256 }, { Key: TAG.status }, { Key: TAG.finding }] }));
  });
  if (!dryRun) await putEvidence(clients, settings, evidenceKey(input.caseId, `release-${Date.now()}.json`, false), JSON.stringify(report, null, 2), 'application/json');
  return report;
}
