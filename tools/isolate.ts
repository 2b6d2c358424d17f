import { SFNClient } from '@aws-sdk/client-sfn';
import { executionName, findStateMachine, main, parseArgs, start, waitFor } from './incident/cli';

const USAGE = 'npm run isolate -- <instance-id> [--dry-run] [--wait] [--stack <name>] [--state-machine <arn>]';

/** Starts the isolation workflow for one instance in the account and region of the current AWS credentials. */
main(async () => {
  const args = parseArgs(process.argv.slice(2), USAGE, 'instance');
  const sfn = new SFNClient({});
  const arn = await findStateMachine(sfn, 'isolation', args);
  const execution = await start(sfn, arn, executionName('cli', new Date()), { instanceId: args.target, dryRun: args.dryRun, finding: { type: 'manual', source: 'cli' } });
  console.log(`isolation started${args.dryRun ? ' (dry run)' : ''}: ${execution}`);
  if (!args.wait) return 0;
  const result = await waitFor(sfn, execution);
  console.log(JSON.stringify(result, null, 2));
  return result.status === 'SUCCEEDED' ? 0 : 1;
});
