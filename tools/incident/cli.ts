import { setTimeout as delay } from 'node:timers/promises';
import { DescribeExecutionCommand, ListStateMachinesCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/** Must match STATE_MACHINE_SUFFIX in src/constructs/response/incident-workflows.ts (a test checks). */
export const SUFFIX = { isolation: '-incident-isolation', release: '-incident-release' } as const;
export type Workflow = keyof typeof SUFFIX;

export interface Args {
  readonly target: string;
  readonly dryRun: boolean;
  readonly wait: boolean;
  readonly stateMachineArn?: string;
  readonly stack?: string;
}

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const CASE_ID = /^i-[0-9a-f]{8,17}-[A-Za-z0-9-]{1,64}$/;

export class UsageError extends Error {}

/** `<target> [--dry-run] [--wait] [--stack <name>] [--state-machine <arn>]`; errors name the argument and what is allowed. */
export function parseArgs(argv: readonly string[], usage: string, kind: 'instance' | 'case'): Args {
  let target: string | undefined;
  let dryRun = false;
  let wait = false;
  let stateMachineArn: string | undefined;
  let stack: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dry-run') dryRun = true;
    else if (a === '--wait') wait = true;
    else if (a === '--state-machine') stateMachineArn = argv[++i];
    else if (a === '--stack') stack = argv[++i];
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}; usage: ${usage}`);
    else if (target) throw new UsageError(`one ${kind} id only, got ${target} and ${a}; usage: ${usage}`);
    else target = a;
  }
  if (!target) throw new UsageError(`missing ${kind} id; usage: ${usage}`);
  const pattern = kind === 'instance' ? INSTANCE_ID : CASE_ID;
  if (!pattern.test(target)) {
    throw new UsageError(kind === 'instance' ? `instance id must look like i-0123456789abcdef0, got ${target}` : `case id must look like i-0123456789abcdef0-<execution name>, got ${target}`);
  }
  if (stateMachineArn !== undefined && !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]+$/.test(stateMachineArn)) {
    throw new UsageError(`--state-machine must be a Step Functions state machine ARN, got ${stateMachineArn}`);
  }
  return { target, dryRun, wait, stateMachineArn, stack };
}

/** The workflow's state machine: given, or the one named `<stack>-incident-<workflow>` (the only one, unless --stack says which). */
export async function findStateMachine(sfn: Pick<SFNClient, 'send'>, workflow: Workflow, args: Args): Promise<string> {
  if (args.stateMachineArn) return args.stateMachineArn;
  const found: { name: string; arn: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    for (const m of page.stateMachines ?? []) if (m.name?.endsWith(SUFFIX[workflow])) found.push({ name: m.name, arn: m.stateMachineArn! });
    nextToken = page.nextToken;
  } while (nextToken);
  const matching = args.stack ? found.filter((m) => m.name === `${args.stack}${SUFFIX[workflow]}`) : found;
  if (matching.length === 0) throw new UsageError(`no state machine named *${SUFFIX[workflow]}${args.stack ? ` for stack ${args.stack}` : ''} in this account and region; deploy the Response stack or pass --state-machine`);
  if (matching.length > 1) throw new UsageError(`several ${workflow} workflows (${matching.map((m) => m.name).join(', ')}); pass --stack <name>`);
  return matching[0]!.arn;
}

/** Execution names become part of the case id: the date, so cases sort, and who started it. */
export function executionName(prefix: string, now: Date): string {
  return `${prefix}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export async function start(sfn: Pick<SFNClient, 'send'>, stateMachineArn: string, name: string, input: unknown): Promise<string> {
  const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  return out.executionArn!;
}

/** Follows an execution to its end (polling every few seconds), and returns its status and output. */
export async function waitFor(sfn: Pick<SFNClient, 'send'>, executionArn: string, pollMs = 3000): Promise<{ status: string; output?: unknown; error?: string }> {
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING' && out.status !== 'PENDING_REDRIVE') {
      return { status: out.status!, output: out.output ? JSON.parse(out.output) : undefined, error: out.error ? `${out.error}: ${out.cause ?? ''}` : undefined };
    }
    await delay(pollMs);
  }
}

/** Runs a command's main, printing a usage error as one line (exit 2) and anything else as one line (exit 1). */
export function main(run: () => Promise<number>): void {
  run().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error instanceof UsageError ? `error: ${error.message}` : `error: ${error.name}: ${error.message}`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
