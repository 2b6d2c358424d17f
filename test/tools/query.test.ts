import {
  AthenaClient,
  CreatePreparedStatementCommand,
  CreateWorkGroupCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  ListQueryExecutionsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { loadQueries } from '../../src/constructs/analytics/queries';
import { describeQueries, executionParameters, formatTable, parseQueryArgs, runQuery } from '../../tools/query/run';
import { resetMoto } from '../helpers/moto';

const QUERIES = loadQueries();
const WINDOW = ['--start', '2024-05-01T10:00:00Z', '--end', '2024-05-01T11:00:00Z'];

describe('npm run query: arguments', () => {
  test.each([
    [[], /missing query name; usage: npm run query/],
    [['nope', '--env', 'sra-app-dev'], /no query named nope; queries: alb-error-spikes-by-target, /],
    [['flow-rejected-to-port', 'flow-top-talkers-out'], /one query name only/],
    [['flow-rejected-to-port', ...WINDOW, '--port', '5432'], /missing --env <app>-<environment>/],
    [['flow-rejected-to-port', '--env', 'Prod!', ...WINDOW, '--port', '5432'], /--env must be the stack-name prefix/],
    [['flow-rejected-to-port', '--env', 'sra-app-dev', ...WINDOW], /missing --port: destination port/],
    [['flow-rejected-to-port', '--env', 'sra-app-dev', ...WINDOW, '--port', '5432; DROP'], /--port must be a number, got 5432; DROP/],
    [['flow-rejected-to-port', '--env', 'sra-app-dev', ...WINDOW, '--port', '5432', '--host', 'x'], /unknown option --host; flow-rejected-to-port takes --start --end --port/],
    [['flow-rejected-to-port', '--env', 'sra-app-dev', '--start', 'yesterday', '--end', '2024-05-01T11:00:00Z', '--port', '1'], /--start must be an ISO 8601 time with its zone/],
    [['flow-rejected-to-port', '--env', 'sra-app-dev', '--start', '2024-05-01T10:00:00', '--end', '2024-05-01T11:00:00Z', '--port', '1'], /--start must be an ISO 8601 time with its zone/],
    [['flow-rejected-to-port', '--env'], /--env needs a value/],
    [['flow-rejected-to-port', '--env', 'a-b-c', '--env', 'd-e-f'], /--env given twice/],
  ] as [string[], RegExp][])('%j: one-line error', (argv, message) => {
    expect(() => parseQueryArgs(argv, QUERIES)).toThrow(message);
  });

  test('named parameters become the statement\'s positional ones, each use in order, strings quoted so a value stays a value', () => {
    const args = parseQueryArgs(['flow-traffic-for-host', '--env', 'sra-app-dev', ...WINDOW, '--host', "10.0.1.10' OR '1'='1"], QUERIES);
    expect(args).toMatchObject({ workgroup: 'sra-app-dev-investigation', database: 'sra_app_dev_logs' });
    const start = "'2024-05-01T10:00:00Z'";
    const end = "'2024-05-01T11:00:00Z'";
    const host = "'10.0.1.10'' OR ''1''=''1'";
    expect(executionParameters(args)).toEqual([start, end, start, end, host, host, host, host, host]);
    expect(executionParameters(parseQueryArgs(['flow-rejected-to-port', '--env=sra-app-dev', ...WINDOW, '--port', '5432'], QUERIES))).toEqual([start, end, start, end, '5432']);
  });

  test('--list names every query with its question and parameters', () => {
    const text = describeQueries(QUERIES);
    for (const q of QUERIES) expect(text).toContain(`${q.name}  (${q.table})`);
    expect(text).toContain('--min_errors <number>');
  });
});

describe('npm run query: against the Athena API (moto)', () => {
  let athena: AthenaClient;
  let endpoint: string;

  beforeAll(async () => {
    const moto = await resetMoto();
    endpoint = moto.endpoint;
    athena = new AthenaClient(moto.clientConfig('eu-west-1'));
    await athena.send(new CreateWorkGroupCommand({ Name: 'sra-app-dev-investigation', Configuration: { EnforceWorkGroupConfiguration: true } }));
    await athena.send(new CreatePreparedStatementCommand({ StatementName: 'flow_rejected_to_port', WorkGroup: 'sra-app-dev-investigation', QueryStatement: 'SELECT 1' }));
  });

  /** moto answers GetQueryResults with the rows queued here, in order of the queries started. */
  async function queueResult(columns: string[], rows: string[][]): Promise<void> {
    const toRow = (values: string[]) => ({ Data: values.map((v) => ({ VarCharValue: v })) });
    const body = {
      account_id: '123456789012',
      region: 'eu-west-1',
      results: [{ rows: [toRow(columns), ...rows.map(toRow)], column_info: columns.map((name) => ({ Name: name, Label: name, Type: 'varchar', CatalogName: 'hive', SchemaName: '', TableName: '', Nullable: 'UNKNOWN', CaseSensitive: true, Precision: 0, Scale: 0 })) }],
    };
    const response = await fetch(`${endpoint}/moto-api/static/athena/query-results`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(201);
  }

  test('runs the saved statement in the workgroup and database with the execution parameters, and prints the rows', async () => {
    await queueResult(['srcaddr', 'dstaddr', 'flows'], [['198.51.100.7', '10.0.2.20', '2'], ['10.0.1.99', '10.0.2.20', '1']]);
    const args = parseQueryArgs(['flow-rejected-to-port', '--env', 'sra-app-dev', ...WINDOW, '--port', '5432'], QUERIES);
    const result = await runQuery(athena, args, { sleep: async () => undefined });
    expect(result.columns).toEqual(['srcaddr', 'dstaddr', 'flows']);
    expect(result.rows).toEqual([['198.51.100.7', '10.0.2.20', '2'], ['10.0.1.99', '10.0.2.20', '1']]);

    const { QueryExecution: execution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: result.executionId }));
    expect(execution?.Query).toBe('EXECUTE flow_rejected_to_port');
    expect(execution?.WorkGroup).toBe('sra-app-dev-investigation');
    expect(execution?.QueryExecutionContext?.Database).toBe('sra_app_dev_logs');
    expect(execution?.ExecutionParameters).toEqual(["'2024-05-01T10:00:00Z'", "'2024-05-01T11:00:00Z'", "'2024-05-01T10:00:00Z'", "'2024-05-01T11:00:00Z'", '5432']);
    const listed = await athena.send(new ListQueryExecutionsCommand({ WorkGroup: 'sra-app-dev-investigation' }));
    expect(listed.QueryExecutionIds).toContain(result.executionId);

    expect(formatTable(result)).toBe(
      ['srcaddr      | dstaddr   | flows', '-------------+-----------+------', '198.51.100.7 | 10.0.2.20 | 2', '10.0.1.99    | 10.0.2.20 | 1', '(2 rows)'].join('\n'),
    );
  });
});

// moto returns every row in one page and every query as succeeded: paging and failure are shown with a stub.
describe('npm run query: paging and failure (stubbed: moto neither pages nor fails queries)', () => {
  const args = parseQueryArgs(['flow-top-talkers-out', '--env', 'sra-app-dev', ...WINDOW], QUERIES);
  const row = (...values: string[]) => ({ Data: values.map((v) => ({ VarCharValue: v })) });
  const columns = { ColumnInfo: [{ Name: 'sender', Type: 'varchar' }, { Name: 'bytes', Type: 'bigint' }] };

  test('waits while the query runs, then reads every page, dropping the header row of the first only', async () => {
    const athena = mockClient(AthenaClient);
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 2048 } } });
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves({ ResultSet: { ResultSetMetadata: columns, Rows: [row('sender', 'bytes'), row('10.0.1.11', '900000')] }, NextToken: 'page-2' })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-2' })
      .resolves({ ResultSet: { ResultSetMetadata: columns, Rows: [row('sender', 'bytes'), row('10.0.1.10', '5000')] } });
    let waits = 0;
    const result = await runQuery(athena as unknown as AthenaClient, args, { sleep: async () => void waits++ });
    expect(waits).toBe(2);
    // A row on a later page that happens to equal the column names is data, not a header.
    expect(result).toEqual({ columns: ['sender', 'bytes'], rows: [['10.0.1.11', '900000'], ['sender', 'bytes'], ['10.0.1.10', '5000']], executionId: 'q-1', scannedBytes: 2048 });
    athena.restore();
  });

  test('a failed or cancelled query is an error with Athena\'s reason', async () => {
    const athena = mockClient(AthenaClient);
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'Query exhausted resources: bytes scanned limit' } } });
    await expect(runQuery(athena as unknown as AthenaClient, args, { sleep: async () => undefined })).rejects.toThrow('query q-2 failed: Query exhausted resources: bytes scanned limit');
    athena.restore();
  });
});
