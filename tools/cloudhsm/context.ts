/** Everything the runbook touches outside itself, injected so tests run without AWS, files or a clock. */
import type { CloudHSMV2Client } from '@aws-sdk/client-cloudhsm-v2';

export interface RunbookContext {
  client: CloudHSMV2Client;
  /** The --region flag, if given; printed commands carry it so they hit the same Region. */
  region: string | undefined;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  print(line: string): void;
  now(): Date;
}

/** How the runbook invokes itself, for the "next" hints it prints. */
export const RUNBOOK = 'npx tsx tools/cloudhsm-runbook.ts';
