import type { CaseRef } from '../incident-shared/case';
import type { IncidentClients, IncidentSettings } from '../incident-shared/clients';
import { classify } from '../incident-shared/errors';
import { captureMemory } from '../incident-capture-memory/step';
import { collectEvidence } from '../incident-collect-evidence/step';
import { containAfterFailure } from '../incident-contain-after-failure/step';
import { detach } from '../incident-detach/step';
import { freeze } from '../incident-freeze/step';
import { naclContain } from '../incident-nacl-contain/step';
import { notify, notifyInputFrom, type NotifyEvent } from '../incident-notify/step';
import { fromTrigger, openCase, type IsolationInput } from '../incident-open-case/step';
import { release, type ReleaseInput } from '../incident-release/step';
import { revokeCredentials } from '../incident-revoke-credentials/step';
import { sgContain } from '../incident-sg-contain/step';

/** What a Task state sends: the step to run and its input. */
export type StepEvent =
  | { step: 'open-case'; input: IsolationInput; executionName: string }
  | { step: 'freeze'; case: CaseRef }
  | { step: 'detach'; case: CaseRef }
  | { step: 'nacl-contain'; case: CaseRef }
  | { step: 'revoke-credentials'; case: CaseRef }
  | { step: 'sg-untrack'; case: CaseRef }
  | { step: 'sg-isolate'; case: CaseRef }
  | { step: 'capture-memory'; case: CaseRef }
  | { step: 'collect-evidence'; case: CaseRef }
  | { step: 'contain-after-failure'; input: IsolationInput; state: { case?: Partial<CaseRef> } }
  | ({ step: 'notify' } & NotifyEvent)
  | { step: 'release'; input: ReleaseInput };

export type StepName = StepEvent['step'];

/**
 * One function runs every step: the steps share clients and settings, and one
 * function keeps the stack small. Each step lives in its own folder and is
 * tested on its own; errors leave here classified (throttling under one name
 * the state machine retries with backoff).
 */
export async function runStep(clients: IncidentClients, settings: IncidentSettings, event: StepEvent): Promise<unknown> {
  try {
    switch (event.step) {
      case 'open-case': {
        const { instanceId, finding } = fromTrigger(event.input ?? {});
        return await openCase(clients, settings, { instanceId: instanceId ?? '', finding, dryRun: event.input?.dryRun, executionName: event.executionName });
      }
      case 'freeze':
        return await freeze(clients, event.case);
      case 'detach':
        return await detach(clients, event.case, settings.autoScalingAction);
      case 'nacl-contain':
        return await naclContain(clients, event.case);
      case 'revoke-credentials':
        return await revokeCredentials(clients, settings, event.case);
      case 'sg-untrack':
        return await sgContain(clients, settings, event.case, 'untrack');
      case 'sg-isolate':
        return await sgContain(clients, settings, event.case, 'isolate');
      case 'capture-memory':
        return await captureMemory(clients, settings, event.case);
      case 'collect-evidence':
        return await collectEvidence(clients, settings, event.case);
      case 'contain-after-failure':
        return await containAfterFailure(clients, settings, {
          instanceId: event.state?.case?.instanceId ?? fromTrigger(event.input ?? {}).instanceId ?? '',
          caseId: event.state?.case?.caseId,
          dryRun: event.state?.case?.dryRun ?? event.input?.dryRun,
        });
      case 'notify':
        return await notify(clients, settings, notifyInputFrom(event));
      case 'release':
        return await release(clients, settings, event.input ?? {});
      default:
        throw new Error(`unknown step ${JSON.stringify((event as { step?: unknown }).step)}`);
    }
  } catch (error) {
    throw classify(error);
  }
}
