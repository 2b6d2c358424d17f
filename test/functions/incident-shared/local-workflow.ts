import type { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import type { IncidentClients, IncidentSettings } from '../../../functions/incident-shared/clients';
import { runStep, type StepEvent } from '../../../functions/incident-step/dispatch';

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22); the project runs on Node 20 as well.
const withResolvers = Promise as unknown as { withResolvers?: () => unknown };
withResolvers.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

type Definition = { StartAt: string; States: Record<string, { Type: string; Resource?: string }> };

/** A state machine's definition as synthesized, with CloudFormation references rendered as placeholder strings. */
export function definitionOf(template: Template, logicalIdPrefix: string): Definition {
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  const [, machine] = Object.entries(machines).find(([id]) => id.startsWith(logicalIdPrefix))!;
  const body = (machine as { Properties: { DefinitionString: unknown } }).Properties.DefinitionString;
  const render = (part: unknown): string => {
    if (typeof part === 'string') return part;
    if (part && typeof part === 'object' && 'Fn::GetAtt' in part) return 'arn:aws:lambda:eu-west-1:111111111111:function:incident-steps';
    if (part && typeof part === 'object' && 'Ref' in part) return (part as { Ref: string }).Ref;
    if (part && typeof part === 'object' && 'Fn::Join' in part) {
      const [sep, parts] = (part as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      return parts.map(render).join(sep);
    }
    throw new Error(`unexpected token in definition: ${JSON.stringify(part)}`);
  };
  return JSON.parse(render(body)) as Definition;
}

export interface RunOptions {
  readonly clients: IncidentClients;
  readonly settings: IncidentSettings;
  readonly executionName: string;
  /** Milliseconds for every Wait state (the definition says seconds). @default 1 */
  readonly waitMs?: number;
}

/**
 * Runs the real definition locally with every Task bound to the real step
 * code (the function the Task's ARN names), and every Wait and Retry pause
 * shortened. Returns the output, or the error the execution failed with.
 */
export async function runLocally(definition: Definition, input: unknown, options: RunOptions): Promise<{ output?: unknown; error?: Error; events: StepEvent[] }> {
  const events: StepEvent[] = [];
  const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
  const waits = Object.entries(definition.States).filter(([, s]) => s.Type === 'Wait');
  for (const [name, state] of tasks) {
    if (!state.Resource?.includes(':function:incident-steps')) throw new Error(`task ${name} does not invoke the step function: ${state.Resource}`);
  }
  const handler = async (event: StepEvent) => {
    events.push(event);
    return runStep(options.clients, options.settings, event);
  };
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: true, checkArn: true } });
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(tasks.map(([name]) => [name, handler])) as never,
      waitTimeOverrides: Object.fromEntries(waits.map(([name]) => [name, options.waitMs ?? 1])),
      retryIntervalOverrides: Object.fromEntries(tasks.map(([name]) => [name, 1])),
    },
    context: { Execution: { Name: options.executionName, Input: input, StartTime: new Date().toISOString() } } as never,
  });
  try {
    return { output: await execution.result, events };
  } catch (error) {
    return { error: error as Error, events };
  }
}
