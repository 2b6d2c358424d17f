import { STATE_MACHINE_SUFFIX } from '../src/constructs/response/incident-workflows';

/**
 * Time to containment by design, read from the synthesized isolation workflow: the happy path from StartAt to its
 * Succeed state (a Choice takes its default branch), with each Wait's seconds and each Task's timeout and retries.
 * The Lambda steps' own run time is not known at synth: `waitSeconds` is the floor the design imposes,
 * `firstAttemptSeconds` the bound if every step takes its whole timeout once, `worstCaseSeconds` the bound with every
 * retry of every step exhausted (Step Functions counts attempts per retrier).
 */
interface State {
  readonly Type: string;
  readonly Next?: string;
  readonly Default?: string;
  readonly Seconds?: number;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly { readonly MaxAttempts?: number; readonly IntervalSeconds?: number; readonly BackoffRate?: number; readonly MaxDelaySeconds?: number }[];
}

export interface PathState {
  readonly name: string;
  readonly type: string;
  readonly waitSeconds: number;
  readonly timeoutSeconds: number;
  readonly worstCaseSeconds: number;
}

export interface ContainmentTime {
  readonly stateMachine: string;
  readonly path: readonly PathState[];
  readonly waitSeconds: number;
  readonly firstAttemptSeconds: number;
  readonly worstCaseSeconds: number;
}

type Resource = { readonly Type: string; readonly Properties?: Record<string, unknown> };

/** The definition JSON of a state machine resource; tokens (ARNs) become a placeholder inside their strings. */
export function definitionOf(resource: Resource): { StartAt: string; States: Record<string, State> } {
  const raw = resource.Properties?.DefinitionString;
  const parts = typeof raw === 'string' ? [raw] : ((raw as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join']?.[1] ?? []);
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
}

function retryDelays(retry: NonNullable<State['Retry']>[number]): number {
  let total = 0;
  for (let i = 0; i < (retry.MaxAttempts ?? 3); i++) total += Math.min((retry.IntervalSeconds ?? 1) * (retry.BackoffRate ?? 2) ** i, retry.MaxDelaySeconds ?? Infinity);
  return total;
}

function stateCost(state: State): Omit<PathState, 'name' | 'type'> {
  const wait = state.Type === 'Wait' ? (state.Seconds ?? 0) : 0;
  const timeout = state.Type === 'Task' ? (state.TimeoutSeconds ?? 99_999_999) : 0;
  const retries = state.Retry ?? [];
  const attempts = 1 + retries.reduce((n, r) => n + (r.MaxAttempts ?? 3), 0);
  return { waitSeconds: wait, timeoutSeconds: timeout, worstCaseSeconds: wait + attempts * timeout + retries.reduce((n, r) => n + retryDelays(r), 0) };
}

/** The isolation workflows of the given templates, each with its happy path and bounds. */
export function containmentTimes(templates: readonly { readonly Resources: Readonly<Record<string, Resource>> }[]): ContainmentTime[] {
  const results: ContainmentTime[] = [];
  for (const template of templates) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
      const name = String(resource.Properties?.StateMachineName ?? id);
      if (!name.endsWith(STATE_MACHINE_SUFFIX.isolation)) continue;
      const definition = definitionOf(resource);
      const path: PathState[] = [];
      const seen = new Set<string>();
      for (let at: string | undefined = definition.StartAt; at && !seen.has(at); ) {
        seen.add(at);
        const state: State = definition.States[at]!;
        path.push({ name: at, type: state.Type, ...stateCost(state) });
        at = state.Type === 'Choice' ? state.Default : state.Next;
      }
      const sum = (key: keyof Omit<PathState, 'name' | 'type'>) => path.reduce((n, s) => n + s[key], 0);
      results.push({ stateMachine: name, path, waitSeconds: sum('waitSeconds'), firstAttemptSeconds: sum('waitSeconds') + sum('timeoutSeconds'), worstCaseSeconds: sum('worstCaseSeconds') });
    }
  }
  return results;
}
