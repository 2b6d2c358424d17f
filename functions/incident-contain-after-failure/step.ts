import { newReport, type StepReport } from '../incident-shared/case';
import type { IncidentClients, IncidentSettings } from '../incident-shared/clients';
import { isThrottling } from '../incident-shared/errors';
import { describeInstance, networkAclOfSubnet, privateIps } from '../incident-shared/instance';
import { naclContain } from '../incident-nacl-contain/step';
import { sgContain } from '../incident-sg-contain/step';

/**
 * The failure path's first act: whatever step failed, put the network
 * containment in place (deny entries, then the isolation group directly). Both
 * only ever add containment and keep what is already there, so running them
 * after any partial progress cannot leave the instance less contained.
 */
export async function containAfterFailure(
  clients: IncidentClients,
  settings: IncidentSettings,
  input: { instanceId: string; caseId?: string; dryRun?: boolean },
): Promise<StepReport> {
  const report = newReport('contain-after-failure');
  const dryRun = input.dryRun ?? settings.dryRunDefault;
  const instance = await describeInstance(clients, input.instanceId);
  const networkInterfaces = await Promise.all(
    (instance.NetworkInterfaces ?? []).map(async (eni) => ({
      networkInterfaceId: eni.NetworkInterfaceId!,
      subnetId: eni.SubnetId!,
      groupIds: [],
      privateIps: privateIps(eni),
      networkAclId: (await networkAclOfSubnet(clients, eni.SubnetId!)).NetworkAclId!,
    })),
  );
  const prior = { networkInterfaces, targetGroups: [], networkAcls: [], volumes: [], disableApiTermination: true, shutdownBehavior: 'stop' };
  const ref = { caseId: input.caseId ?? 'none', instanceId: input.instanceId, instanceArn: '', dryRun, findingType: 'unknown', record: { key: '', sha256: '' }, prior };
  for (const part of [() => naclContain(clients, ref), () => sgContain(clients, settings, ref, 'isolate')]) {
    try {
      const r = await part();
      report.done.push(...r.done.map((d) => `${r.step}: ${d}`));
      report.planned.push(...r.planned.map((d) => `${r.step}: ${d}`));
      report.notDone.push(...r.notDone.map((d) => `${r.step}: ${d}`));
    } catch (error) {
      if (isThrottling(error)) throw error; // the state machine retries with backoff
      report.notDone.push(`${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  return report;
}
