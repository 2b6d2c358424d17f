import { CreateTagsCommand, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { act, newReport, TAG, type CaseRef, type StepReport } from '../incident-shared/case';
import type { IncidentClients } from '../incident-shared/clients';

/**
 * Tags the instance as quarantined and freezes it so that nothing (a person,
 * the instance itself, its Auto Scaling group) destroys the evidence:
 * termination protection, shutdown stops rather than terminates, and no volume
 * is deleted with the instance. Every call sets a value, so a repeat is harmless.
 */
export async function freeze(clients: IncidentClients, c: CaseRef): Promise<StepReport> {
  const report = newReport('freeze');
  const id = c.instanceId;
  await act(report, c.dryRun, `tag ${id} ${TAG.status}=quarantined`, () =>
    clients.ec2.send(
      new CreateTagsCommand({
        Resources: [id],
        Tags: [
          { Key: TAG.status, Value: 'quarantined' },
          { Key: TAG.finding, Value: c.findingType },
        ],
      }),
    ),
  );
  await act(report, c.dryRun, `termination protection on for ${id}`, () =>
    clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: true } })),
  );
  await act(report, c.dryRun, `shutdown behaviour of ${id} set to stop`, () =>
    clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceInitiatedShutdownBehavior: { Value: 'stop' } })),
  );
  for (const volume of c.prior.volumes) {
    await act(report, c.dryRun, `DeleteOnTermination=false for ${volume.volumeId} (${volume.deviceName})`, () =>
      clients.ec2.send(
        new ModifyInstanceAttributeCommand({
          InstanceId: id,
          BlockDeviceMappings: [{ DeviceName: volume.deviceName, Ebs: { DeleteOnTermination: false } }],
        }),
      ),
    );
  }
  return report;
}
