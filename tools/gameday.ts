import { SFNClient } from '@aws-sdk/client-sfn';
import { executionName, findStateMachine, main, parseArgs, start, UsageError, waitFor } from './incident/cli';
import { planLines } from './incident/plan';

const USAGE = 'npm run gameday -- --dry-run <instance-id> [--stack <name>] [--state-machine <arn>]';

/**
 * A game day: the real isolation workflow, in the real account, against a real
 * instance, in dry-run mode (every step reads and plans, nothing changes), then
 * the recorded plan. Refuses to run without --dry-run.
 */
main(async () => {
  const args = parseArgs(process.argv.slice(2), USAGE, 'instance');
  if (!args.dryRun) throw new UsageError(`gameday runs only with --dry-run; usage: ${USAGE}`);
  const sfn = new SFNClient({});
  const arn = await findStateMachine(sfn, 'isolation', args);
  const execution = await start(sfn, arn, executionName('gameday', new Date()), { instanceId: args.target, dryRun: true, finding: { type: 'gameday', source: 'gameday' } });
  console.log(`game day (dry run) started: ${execution}`);
  const started = Date.now();
  const result = await waitFor(sfn, execution);
  console.log(`finished ${result.status} in ${Math.round((Date.now() - started) / 1000)} s`);
  for (const line of planLines(result.output)) console.log(line);
  if (result.error) console.log(`error: ${result.error}`);
  return result.status === 'SUCCEEDED' ? 0 : 1;
});
