/**
 * The CloudHSM runbook: the steps CloudFormation cannot take for the cluster the custom resource builds
 * (functions/cloudhsm-cluster). `npx tsx tools/cloudhsm-runbook.ts <command> [--flags]`; docs/cloudhsm-runbook.md
 * walks through them in order. Exit codes: 0 done, 1 the step failed, 2 the command line was wrong.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CloudHSMV2Client } from '@aws-sdk/client-cloudhsm-v2';
import { type CommandName, type Flags, parseArgs, usage, UsageError } from './cloudhsm/args';
import type { RunbookContext } from './cloudhsm/context';
import { csr } from './cloudhsm/csr';
import { initialize } from './cloudhsm/initialize';
import { nextSteps } from './cloudhsm/next-steps';
import { status } from './cloudhsm/status';

const COMMAND_RUNNERS: Record<CommandName, (ctx: RunbookContext, flags: Flags) => Promise<void>> = {
  status,
  csr,
  initialize,
  'next-steps': nextSteps,
};

export interface RunbookIo {
  /** Builds the CloudHSM client for the Region given with --region (undefined: the SDK's default chain). */
  clientFor(region: string | undefined): CloudHSMV2Client;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  print(line: string): void;
  printError(line: string): void;
  now(): Date;
}

export async function runbook(argv: string[], io: RunbookIo): Promise<number> {
  if (argv.length === 1 && ['help', '--help', '-h'].includes(argv[0]!)) {
    io.print(usage());
    return 0;
  }
  try {
    const { command, flags } = parseArgs(argv);
    const ctx: RunbookContext = { ...io, client: io.clientFor(flags.region), region: flags.region };
    await COMMAND_RUNNERS[command](ctx, flags);
    return 0;
  } catch (error) {
    const usageError = error instanceof UsageError;
    io.printError(`error: ${(error as Error).message}`);
    if (usageError) io.printError(`\n${usage()}`);
    return usageError ? 2 : 1;
  }
}

if (require.main === module) {
  const io: RunbookIo = {
    clientFor: (region) => new CloudHSMV2Client(region ? { region } : {}),
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFile: (path, text) => writeFileSync(path, text, { encoding: 'utf8' }),
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
    now: () => new Date(),
  };
  void runbook(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
