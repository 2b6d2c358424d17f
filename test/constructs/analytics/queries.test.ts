import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_TRINO_MACROS, toDuckDb } from '../../../src/constructs/analytics/dialect';
import { loadQueries } from '../../../src/constructs/analytics/queries';
import { createView } from './log-views';
import { ACCESS_KEY, CONNECTION_LOG_LINE, DELETER, READER, SESSION, TABLES, writeSamples } from './sample-logs';

// Every saved query runs, as written in its .sql file, against sample logs in each real format, read through
// DuckDB views generated from the same Glue table definitions the catalog deploys.

const WINDOW = { start: '2024-05-01T10:00:00Z', end: '2024-05-01T11:00:00Z' };
const QUERIES = new Map(loadQueries().map((q) => [q.name, q]));

let root: string;
let connection: DuckDBConnection;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'log-samples-'));
  const instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  for (const macro of DUCKDB_TRINO_MACROS) await connection.run(macro);
  await writeSamples(join(root, 's3'), connection);
  for (const table of Object.values(TABLES)) await createView(connection, table, join(root, 's3'));
}, 60_000);

afterAll(() => {
  connection?.closeSync();
  rmSync(root, { recursive: true, force: true });
});

async function run(name: string, params: Record<string, string | number>): Promise<Record<string, unknown>[]> {
  const query = QUERIES.get(name);
  if (!query) throw new Error(`no query ${name}`);
  expect(Object.keys(params).sort()).toEqual(query.parameters.map((p) => p.name).sort());
  const reader = await connection.runAndReadAll(toDuckDb(query.sql), params);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

describe('every query reads a table the catalog defines', () => {
  test.each([...QUERIES.values()].map((q) => [q.name, q.table]))('%s reads %s', (_name, table) => {
    expect(Object.keys(TABLES)).toContain(table);
  });
});

describe('the tables read their formats', () => {
  test('flow logs: Parquet columns and Hive partitions', async () => {
    const rows = (await connection.runAndReadAll(`SELECT year, month, day, hour, count(*) AS n FROM vpc_flow_logs GROUP BY ALL ORDER BY hour`)).getRowObjectsJson();
    expect(rows).toEqual([
      { year: '2024', month: '05', day: '01', hour: '09', n: '1' },
      { year: '2024', month: '05', day: '01', hour: '10', n: '9' },
      { year: '2024', month: '05', day: '01', hour: '12', n: '2' },
    ]);
  });

  test('ALB access logs: every field of the documented entry, the "-" target of a refused request', async () => {
    const [row] = (await connection.runAndReadAll(`SELECT * FROM alb_access_logs WHERE time = '2024-05-01T10:01:00.186641Z'`)).getRowObjectsJson();
    expect(row).toMatchObject({
      type: 'https', client_ip: '192.0.2.44', client_port: 2817, target_ip: '10.0.1.10', target_port: 8080, elb_status_code: 500, target_status_code: '500',
      received_bytes: '34', sent_bytes: '366', request_verb: 'GET', request_url: 'https://app.example.com:443/documents?id=1', request_proto: 'HTTP/1.1',
      user_agent: 'curl/8.5.0', ssl_protocol: 'TLSv1.2', domain_name: 'app.example.com', actions_executed: 'waf,forward', target_port_list: '10.0.1.10:8080',
      classification: '-', conn_trace_id: 'TID_1234abcd5678ef90', day: '2024/05/01',
    });
    const refused = (await connection.runAndReadAll(`SELECT target_ip, target_port, request_processing_time FROM alb_access_logs WHERE elb_status_code = 403 LIMIT 1`)).getRowObjectsJson();
    expect(refused).toEqual([{ target_ip: '', target_port: null, request_processing_time: -1 }]);
  });

  test('ALB connection logs: the documented entry', async () => {
    expect(CONNECTION_LOG_LINE).toContain('Success');
    const rows = (await connection.runAndReadAll(`SELECT * FROM alb_connection_logs`)).getRowObjectsJson();
    expect(rows).toEqual([{
      time: '2023-01-19T01:07:00.180841Z', client_ip: '192.0.2.1', client_port: 37236, listener_port: 443, tls_protocol: 'TLSv1.2', tls_cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
      tls_handshake_latency: 4.036, leaf_client_cert_subject: '-', leaf_client_cert_validity: '-', leaf_client_cert_serial_number: '-', tls_verify_status: 'Success',
      conn_trace_id: 'TID_1234abcd5678ef90', day: '2024/05/01',
    }]);
  });

  test('S3 access logs: fields of the documented record, one partition per source prefix', async () => {
    const rows = (await connection.runAndReadAll(`SELECT source, bucket_name, requestdatetime, operation, key, httpstatus, objectsize, sigv, tlsversion FROM s3_access_logs WHERE requestdatetime = '01/May/2024:10:05:00 +0000' ORDER BY source`)).getRowObjectsJson();
    expect(rows).toEqual([
      { source: 'data-bucket', bucket_name: 'data', requestdatetime: '01/May/2024:10:05:00 +0000', operation: 'REST.GET.OBJECT', key: 'app/documents/a.pdf', httpstatus: 200, objectsize: '4096', sigv: 'SigV4', tlsversion: 'TLSv1.3' },
      { source: 'logs-bucket', bucket_name: 'logs', requestdatetime: '01/May/2024:10:05:00 +0000', operation: 'REST.GET.OBJECT', key: 'app/documents/a.pdf', httpstatus: 200, objectsize: '4096', sigv: 'SigV4', tlsversion: 'TLSv1.3' },
    ]);
  });

  test('CloudTrail: records split out of each file, regions and days from the path', async () => {
    const rows = (await connection.runAndReadAll(`SELECT region, day, count(*) AS n FROM cloudtrail_logs GROUP BY ALL ORDER BY region, day`)).getRowObjectsJson();
    expect(rows).toEqual([
      { region: 'eu-west-1', day: '2024/04/30', n: '1' },
      { region: 'eu-west-1', day: '2024/05/01', n: '4' },
      { region: 'us-east-1', day: '2024/05/01', n: '4' },
    ]);
  });
});

describe('the queries return the right rows', () => {
  test('flow-traffic-for-host: every record of an address, including behind NAT; none outside the window', async () => {
    const rows = await run('flow-traffic-for-host', { ...WINDOW, host: '10.0.1.10' });
    expect(rows.map((r) => [r.interface_id, r.srcaddr, r.dstaddr, r.dstport])).toEqual([
      ['eni-app', '10.0.1.10', '10.0.2.20', 5432],
      ['eni-app', '10.0.1.10', '203.0.113.50', 443],
      ['eni-nat', '10.0.0.5', '203.0.113.50', 443],
    ]);
  });

  test('flow-traffic-for-host: by instance id', async () => {
    const rows = await run('flow-traffic-for-host', { ...WINDOW, host: 'i-0app' });
    expect(rows.map((r) => [r.interface_id, r.dstaddr])).toEqual([['eni-app', '10.0.2.20'], ['eni-app', '203.0.113.50']]);
  });

  test('flow-rejected-to-port: refused sources of the database port, counted', async () => {
    const rows = await run('flow-rejected-to-port', { ...WINDOW, port: 5432 });
    expect(rows.map((r) => [r.srcaddr, r.dstaddr, r.flows])).toEqual([
      ['198.51.100.7', '10.0.2.20', '2'],
      ['10.0.1.99', '10.0.2.20', '1'],
    ]);
  });

  test('flow-top-talkers-out: senders by bytes leaving the VPC, NAT resolved to the instance', async () => {
    const rows = await run('flow-top-talkers-out', WINDOW);
    expect(rows.map((r) => [r.sender, r.destination, r.traffic_path, r.bytes])).toEqual([
      ['10.0.1.11', '203.0.113.60', 8, '900000'],
      ['10.0.1.10', '203.0.113.50', 8, '5000'],
      ['10.0.1.11', '10.0.0.7', 7, '700'],
    ]);
  });

  test.each([ACCESS_KEY, SESSION, 'arn:aws:iam::111111111111:role/app-role'])('trail-calls-by-principal: by %s', async (principal) => {
    const rows = await run('trail-calls-by-principal', { ...WINDOW, principal });
    expect(rows.map((r) => [r.eventtime, r.eventname, r.caller])).toEqual([
      ['2024-05-01T10:05:00Z', 'GetObject', SESSION],
      ['2024-05-01T10:20:00Z', 'DeleteObject', SESSION],
    ]);
    expect(JSON.parse(rows[0]!.requestparameters as string)).toEqual({ bucketName: 'data', key: 'app/x' });
  });

  test('trail-console-sign-in-without-mfa: successful sign-ins without MFA only', async () => {
    const rows = await run('trail-console-sign-in-without-mfa', WINDOW);
    expect(rows.map((r) => [r.eventtime, r.who, r.awsregion])).toEqual([['2024-05-01T10:15:00Z', 'arn:aws:iam::111111111111:user/alice', 'us-east-1']]);
  });

  test('waf-blocked-by-rule-and-client: blocked requests counted by rule and client', async () => {
    const rows = await run('waf-blocked-by-rule-and-client', WINDOW);
    expect(rows.map((r) => [r.rule, r.client_ip, r.country, r.requests])).toEqual([
      ['AWS-AWSManagedRulesCommonRuleSet', '198.51.100.7', 'NL', '2'],
      ['RateLimit', '203.0.113.9', 'NL', '1'],
    ]);
  });

  test('alb-error-spikes-by-target: five-minute intervals at or above the error count, per target', async () => {
    const rows = await run('alb-error-spikes-by-target', { ...WINDOW, min_errors: 3 });
    expect(rows.map((r) => [r.target, r.interval_start, r.errors_4xx, r.errors_5xx, r.requests])).toEqual([
      ['-', '2024-05-01 10:00:00+00', '3', '0', '3'],
      ['10.0.1.10:8080', '2024-05-01 10:00:00+00', '0', '3', '4'],
    ]);
  });

  test('s3-reads-and-deletes-under-prefix: reads and deletes under the prefix of that bucket only', async () => {
    const rows = await run('s3-reads-and-deletes-under-prefix', { ...WINDOW, bucket: 'data', prefix: 'app/documents/' });
    expect(rows.map((r) => [r.requester, r.operation, r.key])).toEqual([
      [READER, 'REST.GET.OBJECT', 'app/documents/a.pdf'],
      [DELETER, 'REST.DELETE.OBJECT', 'app/documents/b.pdf'],
    ]);
  });
});
