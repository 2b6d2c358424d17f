import { SendCommandCommand } from '@aws-sdk/client-ssm';
import { evidenceKey, newReport, type CaseRef, type StepReport } from '../incident-shared/case';
import type { IncidentClients, IncidentSettings } from '../incident-shared/clients';

/**
 * Starts the memory capture document (ssm/incident-memory-capture.yaml) on the
 * instance through Run Command. It runs while the interfaces can still reach
 * the endpoints: before the final swap, and the isolation group keeps egress to
 * the endpoints' group while capture is configured. The command id is reported;
 * the capture itself finishes asynchronously on the instance.
 */
export async function captureMemory(clients: IncidentClients, settings: IncidentSettings, c: CaseRef): Promise<StepReport & { commandId?: string }> {
  const report = newReport('capture-memory');
  if (!settings.memoryCapture) {
    report.notDone.push('memory capture is off in the configuration');
    return report;
  }
  const prefix = evidenceKey(c.caseId, 'memory/', false);
  if (c.dryRun) {
    report.planned.push(`run ${settings.memoryDocument} on ${c.instanceId}, output to s3://${settings.evidenceBucket}/${prefix}`);
    return report;
  }
  const out = await clients.ssm.send(
    new SendCommandCommand({
      DocumentName: settings.memoryDocument,
      InstanceIds: [c.instanceId],
      Comment: `Incident ${c.caseId}`.slice(0, 100),
      TimeoutSeconds: 600,
      Parameters: { bucket: [settings.evidenceBucket], prefix: [prefix], keyArn: [settings.evidenceKeyArn] },
    }),
  );
  const commandId = out.Command?.CommandId;
  report.done.push(`memory capture started: command ${commandId}`);
  return { ...report, commandId };
}
