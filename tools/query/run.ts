import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { executionParameter, toAthena } from '../../src/constructs/analytics/dialect';
import { investigationWorkgroupName, logDatabaseName, statementName } from '../../src/constructs/analytics/investigation-workgroup';
import type { InvestigationQuery } from '../../src/constructs/analytics/queries';
import { UsageError } from '../incident/cli';

export const USAGE = 'npm run query -- <query> --env <app>-<environment> [--<parameter> <value> ...]   (npm run query -- --list: the queries and their parameters)';

export interface QueryArgs {
  readonly query: InvestigationQuery;
  readonly workgroup: string;
  readonly database: string;
  /** Parameter values by name. */
  readonly values: Readonly<Record<string, string>>;
}

/** Reads `<query> --env <prefix> --<param> <value>...`; every problem is one line naming the argument. */
export function parseQueryArgs(argv: readonly string[], queries: readonly InvestigationQuery[]): QueryArgs {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${flag} needs a value; usage: ${USAGE}`);
    if (flag in options) throw new UsageError(`--${flag} given twice`);
    options[flag] = value;
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `one query name only, got ${positional.join(' ')}` : `missing query name; usage: ${USAGE}`);
  const query = queries.find((q) => q.name === positional[0]);
  if (!query) throw new UsageError(`no query named ${positional[0]}; queries: ${queries.map((q) => q.name).join(', ')}`);
  const { env, ...rest } = options;
  if (!env) throw new UsageError(`missing --env <app>-<environment> (the stack-name prefix, e.g. sra-app-dev); usage: ${USAGE}`);
  if (!/^[a-z][a-z0-9-]{2,48}$/.test(env)) throw new UsageError(`--env must be the stack-name prefix, like sra-app-dev, got ${env}`);
  const names = query.parameters.map((p) => p.name);
  const unknown = Object.keys(rest).filter((k) => !names.includes(k));
  if (unknown.length) throw new UsageError(`unknown option --${unknown[0]}; ${query.name} takes ${names.map((n) => `--${n}`).join(' ') || 'no parameters'}`);
  for (const p of query.parameters) {
    const value = rest[p.name];
    if (value === undefined) throw new UsageError(`missing --${p.name}: ${p.description}`);
    if (p.type === 'timestamp' && !(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)))) {
      throw new UsageError(`--${p.name} must be an ISO 8601 time with its zone, like 2024-05-01T10:00:00Z, got ${value}`);
    }
    if (p.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) throw new UsageError(`--${p.name} must be a number, got ${value}`);
  }
  return { query, workgroup: investigationWorkgroupName(env), database: logDatabaseName(env), values: rest };
}

/** The execution parameters of the saved statement, one per `?`, in order. */
export function executionParameters(args: QueryArgs): string[] {
  const types = new Map(args.query.parameters.map((p) => [p.name, p.type]));
  return toAthena(args.query.sql).order.map((name) => executionParameter(args.values[name]!, types.get(name) === 'number'));
}

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly executionId: string;
  readonly scannedBytes?: number;
}

type Athena = Pick<AthenaClient, 'send'>;

/**
 * Runs the saved statement in the workgroup (which enforces where results go, their encryption and the scan
 * limit), waits for it and reads every page of its results.
 */
export async function runQuery(athena: Athena, args: QueryArgs, options: { pollMs?: number; sleep?: (ms: number) => Promise<void> } = {}): Promise<QueryResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: `EXECUTE ${statementName(args.query.name)}`,
      ExecutionParameters: executionParameters(args),
      WorkGroup: args.workgroup,
      QueryExecutionContext: { Database: args.database },
    }),
  );
  const executionId = started.QueryExecutionId!;
  let scannedBytes: number | undefined;
  for (;;) {
    const { QueryExecution: execution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: executionId }));
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') {
      scannedBytes = execution?.Statistics?.DataScannedInBytes;
      break;
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new Error(`query ${executionId} ${state.toLowerCase()}: ${execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage ?? 'no reason given'}`);
    }
    await sleep(options.pollMs ?? 1000);
  }
  let columns: string[] = [];
  const rows: string[][] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: executionId, NextToken: nextToken }));
    if (first) columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Label ?? c.Name ?? '');
    const values = (page.ResultSet?.Rows ?? []).map((row) => (row.Data ?? []).map((d) => d.VarCharValue ?? ''));
    // A SELECT's first row of the first page repeats the column names.
    if (first && values.length && values[0]!.join('\u0000') === columns.join('\u0000')) values.shift();
    rows.push(...values);
    first = false;
    nextToken = page.NextToken;
  } while (nextToken);
  return { columns, rows, executionId, scannedBytes };
}

/** Rows as an aligned text table, with the row count. */
export function formatTable(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  const widths = result.columns.map((c, i) => Math.max(c.length, ...result.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(result.columns), widths.map((w) => '-'.repeat(w)).join('-+-'), ...result.rows.map(line), `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`].join('\n');
}

/** The queries and their parameters, for `--list`. */
export function describeQueries(queries: readonly InvestigationQuery[]): string {
  return queries
    .map((q) => [`${q.name}  (${q.table})`, `  ${q.question}`, ...q.parameters.map((p) => `  --${p.name} <${p.type}>  ${p.description}`)].join('\n'))
    .join('\n\n');
}
