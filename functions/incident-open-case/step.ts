import { DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DescribeIamInstanceProfileAssociationsCommand, DescribeInstanceAttributeCommand, type Instance } from '@aws-sdk/client-ec2';
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { recordKey, TAG, type AclEntryState, type CaseRecord, type CaseRef, type PriorState } from '../incident-shared/case';
import type { IncidentClients, IncidentSettings } from '../incident-shared/clients';
import { refuse } from '../incident-shared/errors';
import { describeInstance, instanceArn, networkAclOfSubnet, privateIps, tagOf } from '../incident-shared/instance';
import { exists, putEvidence, readText, serialise, sha256 } from '../incident-shared/record';

/** The execution input: an instance id (CLI, GuardDuty rule) or a Security Hub finding (custom action). */
export interface IsolationInput {
  readonly instanceId?: string;
  readonly dryRun?: boolean;
  readonly finding?: unknown;
  /** The first finding of a Security Hub custom action event. */
  readonly securityHubFinding?: { Id?: string; Types?: string[]; Severity?: { Label?: string }; Resources?: { Type?: string; Id?: string }[] };
}

/** The instance and finding an isolation is for, from whichever trigger started it. */
export function fromTrigger(input: IsolationInput): { instanceId?: string; finding?: unknown } {
  const hub = input.securityHubFinding;
  if (!hub) return { instanceId: input.instanceId, finding: input.finding };
  const arn = hub.Resources?.find((r) => r.Type === 'AwsEc2Instance')?.Id;
  return {
    instanceId: input.instanceId ?? arn?.split('/').pop(),
    finding: { id: hub.Id, type: hub.Types?.[0], severity: hub.Severity?.Label, source: 'securityhub' },
  };
}

export interface OpenCaseInput {
  readonly instanceId: string;
  /** The execution's name: the case id derives from it, so a retried step opens the same case. */
  readonly executionName: string;
  readonly dryRun?: boolean;
  readonly finding?: unknown;
}

export type OpenCaseResult = (CaseRef & { readonly alreadyUnderCase?: undefined }) | {
  readonly alreadyUnderCase: string;
  readonly caseId: string;
  readonly findingType: string;
  readonly instanceId: string;
  readonly dryRun: boolean;
};

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export function caseIdFor(instanceId: string, executionName: string): string {
  return `${instanceId}-${executionName.replace(/[^A-Za-z0-9-]/g, '').slice(0, 64)}`;
}

/**
 * Opens the case: reads the instance's prior state (groups per interface,
 * instance profile, Auto Scaling group, target groups, the subnets' ACL
 * entries, volumes, freeze attributes), writes it once to the evidence bucket,
 * and binds it to the instance with the case id and the record's SHA-256 as
 * tags. An instance already under another case is left to that case.
 */
export async function openCase(clients: IncidentClients, settings: IncidentSettings, input: OpenCaseInput): Promise<OpenCaseResult> {
  if (!INSTANCE_ID.test(input.instanceId ?? '')) refuse(`instanceId must look like i-0123456789abcdef0, got ${JSON.stringify(input.instanceId)}`);
  const dryRun = input.dryRun ?? settings.dryRunDefault;
  const caseId = caseIdFor(input.instanceId, input.executionName);
  const instance = await describeInstance(clients, input.instanceId);
  const key = recordKey(caseId);

  const openCase = tagOf(instance, TAG.case);
  if (openCase && openCase !== caseId) return { alreadyUnderCase: openCase, caseId, instanceId: input.instanceId, dryRun, findingType: findingType(input.finding) };
  if (openCase === caseId && (await exists(clients, settings, key))) {
    // A retry after the record was written and bound: the first reading of the prior state stands.
    const body = await readText(clients, settings, key);
    const record = JSON.parse(body) as CaseRecord;
    return caseRef(settings, caseId, input.instanceId, dryRun, key, sha256(body), record.prior, findingType(record.finding));
  }

  const record: CaseRecord = {
    schema: 1,
    caseId,
    instanceId: input.instanceId,
    openedAt: new Date().toISOString(),
    finding: input.finding,
    prior: await priorState(clients, instance),
  };
  const body = serialise(record);
  const digest = sha256(body);
  if (!dryRun) {
    // Bind first, then write: a retry after the write finds the record (above) and keeps it; a retry after binding
    // alone binds its own reading again. The record object is written once and never rewritten.
    await clients.ec2.send(
      new CreateTagsCommand({
        Resources: [input.instanceId],
        Tags: [
          { Key: TAG.case, Value: caseId },
          { Key: TAG.recordSha256, Value: digest },
        ],
      }),
    );
    await putEvidence(clients, settings, key, body, 'application/json');
  }
  return caseRef(settings, caseId, input.instanceId, dryRun, key, digest, record.prior, findingType(input.finding));
}

function caseRef(settings: IncidentSettings, caseId: string, instanceId: string, dryRun: boolean, key: string, digest: string, prior: PriorState, type: string): CaseRef {
  return { caseId, instanceId, instanceArn: instanceArn(settings, instanceId), dryRun, findingType: type, record: { key, sha256: digest }, prior };
}

/** The finding's type for the instance tag (a tag value holds 256 characters); `manual` when a person started the case. */
export function findingType(finding: unknown): string {
  const type = (finding as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && type ? type.slice(0, 256) : 'manual';
}

async function priorState(clients: IncidentClients, instance: Instance): Promise<PriorState> {
  const instanceId = instance.InstanceId!;
  const enis = await Promise.all(
    (instance.NetworkInterfaces ?? []).map(async (eni) => ({
      networkInterfaceId: eni.NetworkInterfaceId!,
      subnetId: eni.SubnetId!,
      groupIds: (eni.Groups ?? []).map((g) => g.GroupId!).sort(),
      privateIps: privateIps(eni),
      networkAclId: (await networkAclOfSubnet(clients, eni.SubnetId!)).NetworkAclId!,
    })),
  );
  const aclIds = [...new Set(enis.map((e) => e.networkAclId))];
  const networkAcls = await Promise.all(
    aclIds.map(async (id) => {
      const subnet = enis.find((e) => e.networkAclId === id)!.subnetId;
      const acl = await networkAclOfSubnet(clients, subnet);
      const entries: AclEntryState[] = (acl.Entries ?? []).map((e) => ({
        ruleNumber: e.RuleNumber!,
        egress: !!e.Egress,
        action: e.RuleAction!,
        cidr: e.CidrBlock,
        protocol: e.Protocol!,
        portRange: e.PortRange ? { from: e.PortRange.From, to: e.PortRange.To } : undefined,
      }));
      return { networkAclId: id, entries };
    }),
  );
  const associations = await clients.ec2.send(
    new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }),
  );
  const association = associations.IamInstanceProfileAssociations?.find((a) => a.State === 'associated' || a.State === undefined);
  const asg = await clients.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] }));
  const asgInstance = asg.AutoScalingInstances?.[0];
  const termination = await clients.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }));
  const shutdown = await clients.ec2.send(
    new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'instanceInitiatedShutdownBehavior' }),
  );
  return {
    networkInterfaces: enis,
    instanceProfileArn: association?.IamInstanceProfile?.Arn ?? instance.IamInstanceProfile?.Arn,
    autoScaling: asgInstance ? { groupName: asgInstance.AutoScalingGroupName!, lifecycleState: asgInstance.LifecycleState! } : undefined,
    targetGroups: await targetGroupsOf(clients, instanceId),
    networkAcls,
    volumes: (instance.BlockDeviceMappings ?? [])
      .filter((b) => b.Ebs?.VolumeId)
      .map((b) => ({ deviceName: b.DeviceName!, volumeId: b.Ebs!.VolumeId!, deleteOnTermination: !!b.Ebs!.DeleteOnTermination })),
    disableApiTermination: !!termination.DisableApiTermination?.Value,
    shutdownBehavior: shutdown.InstanceInitiatedShutdownBehavior?.Value ?? 'stop',
  };
}

/** Every target group that has this instance registered, with the port, however it got there (Auto Scaling or by hand). */
async function targetGroupsOf(clients: IncidentClients, instanceId: string): Promise<PriorState['targetGroups']> {
  const found: { targetGroupArn: string; port?: number }[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.elbv2.send(new DescribeTargetGroupsCommand({ Marker: marker }));
    for (const group of page.TargetGroups ?? []) {
      if (group.TargetType && group.TargetType !== 'instance') continue;
      const health = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn! }));
      for (const t of health.TargetHealthDescriptions ?? []) {
        if (t.Target?.Id === instanceId && t.TargetHealth?.State !== 'unused') found.push({ targetGroupArn: group.TargetGroupArn!, port: t.Target.Port });
      }
    }
    marker = page.NextMarker;
  } while (marker);
  return found.sort((a, b) => a.targetGroupArn.localeCompare(b.targetGroupArn));
}
