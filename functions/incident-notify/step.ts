import { PublishCommand } from '@aws-sdk/client-sns';
import { evidenceKey, type StepReport } from '../incident-shared/case';
import type { IncidentClients, IncidentSettings } from '../incident-shared/clients';
import { putEvidence } from '../incident-shared/record';

export type Outcome = 'contained' | 'failed' | 'already-under-case' | 'released' | 'release-failed';

export interface NotifyInput {
  readonly outcome: Outcome;
  readonly workflow: 'isolation' | 'release';
  readonly instanceId?: string;
  readonly caseId?: string;
  readonly dryRun?: boolean;
  readonly alreadyUnderCase?: string;
  /** Step reports by state, as the state machine collected them. */
  readonly results?: Record<string, StepReport | undefined>;
  /** The caught error, when the failure path runs. */
  readonly error?: { Error?: string; Cause?: string };
}

/** What the state machine sends: the outcome, its whole state and the execution input. */
export interface NotifyEvent {
  readonly outcome: Outcome;
  readonly workflow: 'isolation' | 'release';
  readonly state?: {
    readonly case?: { caseId?: string; instanceId?: string; dryRun?: boolean; alreadyUnderCase?: string };
    readonly results?: Record<string, StepReport | undefined>;
    readonly error?: { Error?: string; Cause?: string };
  };
  readonly input?: { instanceId?: string; caseId?: string; dryRun?: boolean; securityHubFinding?: { Resources?: { Type?: string; Id?: string }[] } };
}

export function notifyInputFrom(event: NotifyEvent): NotifyInput {
  const c = event.state?.case;
  const hubInstance = event.input?.securityHubFinding?.Resources?.find((r) => r.Type === 'AwsEc2Instance')?.Id?.split('/').pop();
  return {
    outcome: event.outcome,
    workflow: event.workflow,
    instanceId: c?.instanceId ?? event.input?.instanceId ?? hubInstance,
    caseId: c?.caseId ?? event.input?.caseId,
    dryRun: c?.dryRun ?? event.input?.dryRun,
    alreadyUnderCase: c?.alreadyUnderCase,
    results: event.state?.results,
    error: event.state?.error,
  };
}

/** The steps of each workflow, in order: a step with no report is listed as not reached. */
export const STEPS = {
  isolation: ['freeze', 'detach', 'naclContain', 'revokeCredentials', 'sgUntrack', 'captureMemory', 'sgIsolate', 'collectEvidence'],
  release: ['release'],
} as const;

export interface Summary {
  readonly subject: string;
  readonly outcome: Outcome;
  readonly caseId?: string;
  readonly instanceId?: string;
  readonly dryRun: boolean;
  readonly done: string[];
  readonly planned: string[];
  readonly notDone: string[];
  readonly notReached: string[];
  readonly error?: string;
}

function causeText(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}

export function summarise(input: NotifyInput): Summary {
  const results = input.results ?? {};
  const reports = STEPS[input.workflow].map((s) => [s, results[s]] as const);
  const extra = Object.entries(results).filter(([k]) => !(STEPS[input.workflow] as readonly string[]).includes(k));
  const all = [...reports, ...extra].filter(([, r]) => r).map(([, r]) => r!);
  const dry = input.dryRun ? ' (dry run: nothing changed)' : '';
  const subjects: Record<Outcome, string> = {
    contained: `Incident ${input.caseId}: ${input.instanceId} contained${dry}`,
    failed: `Incident ${input.caseId ?? input.instanceId}: containment FAILED, act now${dry}`,
    'already-under-case': `Incident: ${input.instanceId} already under case ${input.alreadyUnderCase}`,
    released: `Incident ${input.caseId}: ${input.instanceId} released${dry}`,
    'release-failed': `Incident ${input.caseId}: release FAILED or refused`,
  };
  return {
    subject: subjects[input.outcome].slice(0, 100),
    outcome: input.outcome,
    caseId: input.caseId,
    instanceId: input.instanceId,
    dryRun: !!input.dryRun,
    done: all.flatMap((r) => r.done.map((d) => `${r.step}: ${d}`)),
    planned: all.flatMap((r) => r.planned.map((d) => `${r.step}: ${d}`)),
    notDone: all.flatMap((r) => r.notDone.map((d) => `${r.step}: ${d}`)),
    notReached: input.outcome === 'already-under-case' ? [] : reports.filter(([, r]) => !r).map(([s]) => s),
    error: input.error ? `${input.error.Error}: ${causeText(input.error.Cause)}` : undefined,
  };
}

/** Tells the findings routing what was done, what would be done (dry run) and what was not, and keeps the same summary as evidence. */
export async function notify(clients: IncidentClients, settings: IncidentSettings, input: NotifyInput): Promise<Summary> {
  const summary = summarise(input);
  const message = JSON.stringify(summary, null, 2);
  if (input.caseId) {
    const name = `${input.workflow}-summary-${summary.outcome}.json`;
    await putEvidence(clients, settings, evidenceKey(input.caseId, name, !!input.dryRun), message, 'application/json');
  }
  await clients.sns.send(new PublishCommand({ TopicArn: settings.topicArn, Subject: summary.subject, Message: message }));
  return summary;
}
