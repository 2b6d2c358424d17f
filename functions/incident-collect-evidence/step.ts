import {
  CreateSnapshotCommand,
  DescribeSnapshotsCommand,
  GetConsoleOutputCommand,
  GetConsoleScreenshotCommand,
} from '@aws-sdk/client-ec2';
import { evidenceKey, newReport, TAG, type CaseRef, type StepReport } from '../incident-shared/case';
import type { IncidentClients, IncidentSettings } from '../incident-shared/clients';
import { isThrottling } from '../incident-shared/errors';
import { describeInstance } from '../incident-shared/instance';
import { exists, putEvidence } from '../incident-shared/record';

/**
 * Evidence: one snapshot of every volume, tagged with the case (a repeat finds
 * it by tag and takes none), and the instance's description, console output and
 * screenshot in the evidence bucket (each written once). The console and the
 * screenshot are best effort (not every instance type has them): what could not
 * be taken is reported, never dropped. Throttling still fails the step, so the
 * state machine retries it.
 */
export async function collectEvidence(clients: IncidentClients, settings: IncidentSettings, c: CaseRef): Promise<StepReport & { snapshots: string[] }> {
  const report = { ...newReport('collect-evidence'), snapshots: [] as string[] };
  const id = c.instanceId;
  for (const volume of c.prior.volumes) {
    const existing = await clients.ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [
          { Name: `tag:${TAG.case}`, Values: [c.caseId] },
          { Name: 'volume-id', Values: [volume.volumeId] },
        ],
      }),
    );
    const found = existing.Snapshots?.[0]?.SnapshotId;
    if (found) {
      report.snapshots.push(found);
      report.done.push(`snapshot ${found} of ${volume.volumeId} already taken`);
      continue;
    }
    if (c.dryRun) {
      report.planned.push(`snapshot ${volume.volumeId} (${volume.deviceName}) tagged ${TAG.case}=${c.caseId}`);
      continue;
    }
    const snapshot = await clients.ec2.send(
      new CreateSnapshotCommand({
        VolumeId: volume.volumeId,
        Description: `Incident ${c.caseId}: ${id} ${volume.deviceName}`,
        TagSpecifications: [
          {
            ResourceType: 'snapshot',
            Tags: [
              { Key: TAG.case, Value: c.caseId },
              { Key: 'incident:instance', Value: id },
              { Key: 'incident:device', Value: volume.deviceName },
            ],
          },
        ],
      }),
    );
    report.snapshots.push(snapshot.SnapshotId!);
    report.done.push(`snapshot ${snapshot.SnapshotId} of ${volume.volumeId} (${volume.deviceName})`);
  }

  const put = async (name: string, what: string, body: () => Promise<{ data: string | Uint8Array; type: string } | undefined>) => {
    const key = evidenceKey(c.caseId, name, c.dryRun);
    if (c.dryRun) return void report.planned.push(`${what} to s3://${settings.evidenceBucket}/${key}`);
    if (await exists(clients, settings, key)) return void report.done.push(`${what} already in s3://${settings.evidenceBucket}/${key}`);
    try {
      const content = await body();
      if (!content) return void report.notDone.push(`${what}: the instance returned none`);
      await putEvidence(clients, settings, key, content.data, content.type);
      report.done.push(`${what} to s3://${settings.evidenceBucket}/${key}`);
    } catch (error) {
      if (isThrottling(error)) throw error;
      report.notDone.push(`${what}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  };
  await put('instance.json', 'instance description', async () => ({ data: JSON.stringify(await describeInstance(clients, id), null, 2), type: 'application/json' }));
  await put('console-output.txt', 'console output', async () => {
    const out = await clients.ec2.send(new GetConsoleOutputCommand({ InstanceId: id, Latest: true }));
    return out.Output ? { data: Buffer.from(out.Output, 'base64').toString('utf8'), type: 'text/plain' } : undefined;
  });
  await put('console-screenshot.jpg', 'console screenshot', async () => {
    const out = await clients.ec2.send(new GetConsoleScreenshotCommand({ InstanceId: id, WakeUp: true }));
    return out.ImageData ? { data: Buffer.from(out.ImageData, 'base64'), type: 'image/jpeg' } : undefined;
  });
  return report;
}
