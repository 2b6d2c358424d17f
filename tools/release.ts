import { SFNClient } from '@aws-sdk/client-sfn';
import { executionName, findStateMachine, main, parseArgs, start, waitFor } from './incident/cli';

const USAGE = 'npm run release -- <case-id> [--dry-run] [--stack <name>] [--state-machine <arn>]';

/** Starts the release workflow for one case and follows it: release is only ever started by a person, on purpose. */
main(async () => {
  const args = parseArgs(process.argv.slice(2), USAGE, 'case');
  const sfn = new SFNClient({});
  const arn = await findStateMachine(sfn, 'release', args);
  const execution = await start(sfn, arn, executionName('release', new Date()), { caseId: args.target, dryRun: args.dryRun });
  console.log(`release started${args.dryRun ? ' (dry run)' : ''}: ${execution}`);
  const result = await waitFor(sfn, execution);
  console.log(JSON.stringify(result, null, 2));
  return result.status === 'SUCCEEDED' ? 0 : 1;
});
