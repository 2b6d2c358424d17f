import { DescribeNetworkInterfacesCommand, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { act, newReport, type StepReport } from '../incident-shared/case';
import type { IncidentClients, IncidentSettings } from '../incident-shared/clients';

export type GroupStage = 'untrack' | 'isolate';

/**
 * Layer two of network containment, for traffic that never crosses the ACL
 * (inside the subnet): every interface first to the "untrack" group (all
 * traffic both ways from anywhere, under which EC2 stops tracking new and
 * existing flows), then, after a Wait state, to the isolation group (no
 * ingress). An interface already in the isolation group is never moved back
 * to the untrack group: a retry cannot weaken containment.
 */
export async function sgContain(
  clients: IncidentClients,
  settings: IncidentSettings,
  c: { instanceId: string; dryRun: boolean; prior: { networkInterfaces: { networkInterfaceId: string }[] } },
  stage: GroupStage,
): Promise<StepReport> {
  const report = newReport(stage === 'untrack' ? 'sg-untrack' : 'sg-isolate');
  const target = stage === 'untrack' ? settings.untrackGroupId : settings.isolationGroupId;
  const ids = c.prior.networkInterfaces.map((e) => e.networkInterfaceId);
  if (ids.length === 0) return report;
  const now = await clients.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ids }));
  for (const eni of now.NetworkInterfaces ?? []) {
    const groups = (eni.Groups ?? []).map((g) => g.GroupId);
    const id = eni.NetworkInterfaceId!;
    if (groups.length === 1 && groups[0] === target) {
      report.done.push(`${id} already in ${target}`);
      continue;
    }
    if (stage === 'untrack' && groups.length === 1 && groups[0] === settings.isolationGroupId) {
      report.done.push(`${id} already in the isolation group; left there`);
      continue;
    }
    await act(report, c.dryRun, `${id} security groups [${groups.join(', ')}] -> [${target}]`, () =>
      clients.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Groups: [target] })),
    );
  }
  return report;
}
