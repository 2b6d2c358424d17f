import { AthenaClient } from '@aws-sdk/client-athena';
import { loadQueries } from '../src/constructs/analytics/queries';
import { main } from './incident/cli';
import { describeQueries, formatTable, parseQueryArgs, runQuery } from './query/run';

/** Runs one saved investigation query in the account and region of the current AWS credentials and prints its rows. */
main(async () => {
  const queries = loadQueries();
  const argv = process.argv.slice(2);
  if (argv.includes('--list')) {
    console.log(describeQueries(queries));
    return 0;
  }
  const args = parseQueryArgs(argv, queries);
  const result = await runQuery(new AthenaClient({}), args);
  console.log(formatTable(result));
  const scanned = result.scannedBytes === undefined ? '' : `, ${(result.scannedBytes / 1024 ** 2).toFixed(1)} MB scanned`;
  console.error(`query ${result.executionId} in ${args.workgroup}${scanned}`);
  return 0;
});
