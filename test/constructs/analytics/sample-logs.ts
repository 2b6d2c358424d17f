import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { albAccessLogsTable, albConnectionLogsTable, cloudTrailTable, type LogTable, s3AccessLogsTable, vpcFlowLogsTable, wafLogsTable } from '../../../src/constructs/analytics/log-tables';
import { FLOW_LOG_PREFIX } from '../../../src/constructs/network/vpc-flow-logs';

/** Small logs in each real format, laid out as the services write them, with the tables that read them. */

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
const SCOPE = { account: ACCOUNT, region: REGION, retentionDays: 90 };
export const WEB_ACL = 'sra-app-dev';

export const TABLES: Readonly<Record<string, LogTable>> = Object.fromEntries(
  [
    vpcFlowLogsTable({ bucket: 'log-bucket', prefix: FLOW_LOG_PREFIX.replace(/\/$/, '') }, SCOPE),
    cloudTrailTable({ bucket: 'log-bucket', prefix: 'cloudtrail' }, SCOPE, ['eu-west-1', 'us-east-1']),
    albAccessLogsTable({ bucket: 'lb-logs', prefix: 'alb' }, SCOPE),
    albConnectionLogsTable({ bucket: 'lb-logs', prefix: 'alb-connections' }, SCOPE),
    wafLogsTable({ bucket: 'aws-waf-logs-sra-app-dev', prefix: '', webAclName: WEB_ACL }, SCOPE),
    s3AccessLogsTable('access-logs', ['data-bucket', 'logs-bucket']),
  ].map((t) => [t.name, t]),
);

const put = (root: string, path: string, text: string) => {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

interface Flow {
  at: string;
  eni: string;
  instance?: string;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  action: 'ACCEPT' | 'REJECT';
  direction: 'ingress' | 'egress';
  bytes: number;
  path?: number;
  pktSrc?: string;
  pktDst?: string;
}

/** Flow records; a NAT gateway's ENI shows the instance as pkt_srcaddr. */
export const FLOWS: readonly Flow[] = [
  { at: '2024-05-01T10:05:00Z', eni: 'eni-app', instance: 'i-0app', src: '10.0.1.10', srcPort: 44321, dst: '10.0.2.20', dstPort: 5432, action: 'ACCEPT', direction: 'egress', bytes: 1200, path: 1 },
  { at: '2024-05-01T10:06:00Z', eni: 'eni-db', src: '198.51.100.7', srcPort: 50001, dst: '10.0.2.20', dstPort: 5432, action: 'REJECT', direction: 'ingress', bytes: 60 },
  { at: '2024-05-01T10:07:00Z', eni: 'eni-db', src: '198.51.100.7', srcPort: 50002, dst: '10.0.2.20', dstPort: 5432, action: 'REJECT', direction: 'ingress', bytes: 60 },
  { at: '2024-05-01T10:08:00Z', eni: 'eni-db', src: '10.0.1.99', srcPort: 50003, dst: '10.0.2.20', dstPort: 5432, action: 'REJECT', direction: 'ingress', bytes: 60 },
  { at: '2024-05-01T10:09:00Z', eni: 'eni-lb', src: '198.51.100.8', srcPort: 50004, dst: '10.0.0.30', dstPort: 8443, action: 'REJECT', direction: 'ingress', bytes: 60 },
  { at: '2024-05-01T10:10:00Z', eni: 'eni-app', instance: 'i-0app', src: '10.0.1.10', srcPort: 40000, dst: '203.0.113.50', dstPort: 443, action: 'ACCEPT', direction: 'egress', bytes: 5000, path: 1 },
  { at: '2024-05-01T10:10:00Z', eni: 'eni-nat', src: '10.0.0.5', srcPort: 61000, dst: '203.0.113.50', dstPort: 443, action: 'ACCEPT', direction: 'egress', bytes: 5000, path: 8, pktSrc: '10.0.1.10' },
  { at: '2024-05-01T10:20:00Z', eni: 'eni-nat', src: '10.0.0.5', srcPort: 61001, dst: '203.0.113.60', dstPort: 443, action: 'ACCEPT', direction: 'egress', bytes: 900000, path: 8, pktSrc: '10.0.1.11' },
  { at: '2024-05-01T10:30:00Z', eni: 'eni-app2', instance: 'i-0app2', src: '10.0.1.11', srcPort: 40001, dst: '10.0.0.7', dstPort: 443, action: 'ACCEPT', direction: 'egress', bytes: 700, path: 7 },
  // Outside the test window (10:00-11:00): the hour before and the hour after.
  { at: '2024-05-01T09:30:00Z', eni: 'eni-app', instance: 'i-0app', src: '10.0.1.10', srcPort: 44000, dst: '10.0.2.20', dstPort: 5432, action: 'ACCEPT', direction: 'egress', bytes: 1, path: 1 },
  { at: '2024-05-01T12:10:00Z', eni: 'eni-db', src: '198.51.100.7', srcPort: 50009, dst: '10.0.2.20', dstPort: 5432, action: 'REJECT', direction: 'ingress', bytes: 60 },
  { at: '2024-05-01T12:10:00Z', eni: 'eni-nat', src: '10.0.0.5', srcPort: 61002, dst: '203.0.113.70', dstPort: 443, action: 'ACCEPT', direction: 'egress', bytes: 99999999, path: 8, pktSrc: '10.0.1.12' },
];

/** Writes every sample under `root` (DuckDB writes the Parquet). */
export async function writeSamples(root: string, connection: DuckDBConnection): Promise<void> {
  await writeFlowLogs(root, connection);
  writeCloudTrail(root);
  writeWaf(root);
  writeAlb(root);
  writeS3AccessLogs(root);
}

async function writeFlowLogs(root: string, connection: DuckDBConnection): Promise<void> {
  const byHour = new Map<string, Flow[]>();
  for (const f of FLOWS) byHour.set(f.at.slice(0, 13), [...(byHour.get(f.at.slice(0, 13)) ?? []), f]);
  const q = (v: string | undefined) => (v === undefined ? 'NULL' : `'${v}'`);
  for (const [hour, flows] of byHour) {
    const [y, m, d, h] = [hour.slice(0, 4), hour.slice(5, 7), hour.slice(8, 10), hour.slice(11, 13)];
    const dir = join(root, 'log-bucket/vpc-flow-logs/AWSLogs', `aws-account-id=${ACCOUNT}`, 'aws-service=vpcflowlogs', `aws-region=${REGION}`, `year=${y}`, `month=${m}`, `day=${d}`, `hour=${h}`);
    mkdirSync(dir, { recursive: true });
    const rows = flows.map((f) => {
      const start = epoch(f.at);
      return `SELECT 5::INTEGER AS version, '${ACCOUNT}' AS account_id, '${f.eni}' AS interface_id, '${f.src}' AS srcaddr, '${f.dst}' AS dstaddr,
        ${f.srcPort}::INTEGER AS srcport, ${f.dstPort}::INTEGER AS dstport, 6::BIGINT AS protocol, 10::BIGINT AS packets, ${f.bytes}::BIGINT AS bytes,
        ${start}::BIGINT AS "start", ${start + 55}::BIGINT AS "end", '${f.action}' AS action, 'OK' AS log_status, 'vpc-1' AS vpc_id, 'subnet-1' AS subnet_id,
        ${q(f.instance)} AS instance_id, 2::INTEGER AS tcp_flags, 'IPv4' AS type, '${f.pktSrc ?? f.src}' AS pkt_srcaddr, '${f.pktDst ?? f.dst}' AS pkt_dstaddr,
        '${REGION}' AS region, 'euw1-az1' AS az_id, NULL::VARCHAR AS pkt_src_aws_service, NULL::VARCHAR AS pkt_dst_aws_service,
        '${f.direction}' AS flow_direction, ${f.path ?? 'NULL'}::INTEGER AS traffic_path`;
    });
    const file = join(dir, `${ACCOUNT}_vpcflowlogs_${REGION}_fl-1_${y}${m}${d}T${h}00Z_hash.log.parquet`);
    await connection.run(`COPY (${rows.join(' UNION ALL ')}) TO '${file}' (FORMAT parquet)`);
  }
}

const ROLE = `arn:aws:iam::${ACCOUNT}:role/app-role`;
export const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/app-role/i-0app`;
export const ACCESS_KEY = 'ASIAEXAMPLE0000001';

function call(time: string, name: string, identity: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: time,
    eventSource: name === 'ConsoleLogin' ? 'signin.amazonaws.com' : 's3.amazonaws.com',
    eventName: name,
    awsRegion: REGION,
    sourceIPAddress: '198.51.100.20',
    userAgent: 'aws-cli/2',
    requestParameters: { bucketName: 'data', key: 'app/x' },
    responseElements: null,
    requestID: `req-${time}`,
    eventID: `ev-${time}-${name}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...extra,
  };
}

const appSession = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLE:i-0app',
  arn: SESSION,
  accountId: ACCOUNT,
  accessKeyId: ACCESS_KEY,
  sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: ROLE, accountId: ACCOUNT, userName: 'app-role' }, attributes: { mfaAuthenticated: 'false', creationDate: '2024-05-01T09:00:00Z' } },
};
const user = (name: string) => ({ type: 'IAMUser', principalId: `AIDA${name.toUpperCase()}`, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, userName: name });
const signIn = (time: string, name: string, mfa: 'Yes' | 'No', result: 'Success' | 'Failure') =>
  call(time, 'ConsoleLogin', user(name), { awsRegion: 'us-east-1', responseElements: { ConsoleLogin: result }, additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: mfa }, eventType: 'AwsConsoleSignIn' });

function writeCloudTrail(root: string): void {
  const file = (region: string, day: string, records: unknown[]) =>
    put(root, `log-bucket/cloudtrail/AWSLogs/${ACCOUNT}/CloudTrail/${region}/${day}/${ACCOUNT}_CloudTrail_${region}_${day.replaceAll('/', '')}T1005Z_x.json`, JSON.stringify({ Records: records }));
  file(REGION, '2024/05/01', [
    call('2024-05-01T10:05:00Z', 'GetObject', appSession, { eventCategory: 'Data' }),
    call('2024-05-01T10:20:00Z', 'DeleteObject', appSession, { eventCategory: 'Data', readOnly: false }),
    call('2024-05-01T10:30:00Z', 'ListBuckets', user('ops')),
    call('2024-05-01T12:00:00Z', 'GetObject', appSession, { eventCategory: 'Data' }),
  ]);
  file(REGION, '2024/04/30', [call('2024-04-30T23:59:00Z', 'GetObject', appSession)]);
  file('us-east-1', '2024/05/01', [
    signIn('2024-05-01T10:15:00Z', 'alice', 'No', 'Success'),
    signIn('2024-05-01T10:16:00Z', 'bob', 'Yes', 'Success'),
    signIn('2024-05-01T10:17:00Z', 'carol', 'No', 'Failure'),
    signIn('2024-05-01T11:30:00Z', 'dave', 'No', 'Success'),
  ]);
}

function wafRecord(time: string, action: 'BLOCK' | 'ALLOW', rule: string, clientIp: string) {
  return {
    timestamp: Date.parse(time),
    formatVersion: 1,
    webaclId: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/${WEB_ACL}/1111`,
    terminatingRuleId: rule,
    terminatingRuleType: rule === 'Default_Action' ? 'REGULAR' : 'MANAGED_RULE_GROUP',
    action,
    terminatingRuleMatchDetails: [],
    httpSourceName: 'ALB',
    httpSourceId: `${ACCOUNT}-app/sra/1`,
    ruleGroupList: [],
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: { clientIp, country: 'NL', headers: [{ name: 'Host', value: 'app.example.com' }], uri: '/documents', args: '', httpVersion: 'HTTP/1.1', httpMethod: 'GET', requestId: `r-${time}` },
    labels: [{ name: 'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body' }],
  };
}

function writeWaf(root: string): void {
  const file = (minute: string, records: unknown[]) =>
    put(root, `aws-waf-logs-sra-app-dev/AWSLogs/${ACCOUNT}/WAFLogs/${REGION}/${WEB_ACL}/${minute}/${ACCOUNT}_waflogs_${REGION}_${WEB_ACL}_x.log`, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  file('2024/05/01/10/05', [
    wafRecord('2024-05-01T10:05:10Z', 'BLOCK', 'AWS-AWSManagedRulesCommonRuleSet', '198.51.100.7'),
    wafRecord('2024-05-01T10:06:00Z', 'BLOCK', 'AWS-AWSManagedRulesCommonRuleSet', '198.51.100.7'),
    wafRecord('2024-05-01T10:07:00Z', 'BLOCK', 'RateLimit', '203.0.113.9'),
    wafRecord('2024-05-01T10:08:00Z', 'ALLOW', 'Default_Action', '192.0.2.1'),
  ]);
  file('2024/05/01/12/00', [wafRecord('2024-05-01T12:00:30Z', 'BLOCK', 'RateLimit', '203.0.113.9')]);
}

/** One access log entry, in the layout of the Elastic Load Balancing guide's HTTPS example. */
function albLine(time: string, target: string, status: number): string {
  const targetStatus = target === '-' ? '-' : String(status);
  const timings = target === '-' ? '-1 -1 -1' : '0.001 0.048 0.000';
  return `https ${time} app/sra-app-dev/50dc6c495c0c9188 192.0.2.44:2817 ${target} ${timings} ${status} ${targetStatus} 34 366 "GET https://app.example.com:443/documents?id=1 HTTP/1.1" "curl/8.5.0" ` +
    `ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/app/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" ` +
    `"app.example.com" "arn:aws:acm:${REGION}:${ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012" 1 ${time} "waf,forward" "-" "-" "${target}" "${targetStatus}" "-" "-" TID_1234abcd5678ef90`;
}

function writeAlb(root: string): void {
  const t = '10.0.1.10:8080';
  const u = '10.0.1.11:8080';
  const lines = [
    albLine('2024-05-01T10:01:00.186641Z', t, 500),
    albLine('2024-05-01T10:02:00.186641Z', t, 502),
    albLine('2024-05-01T10:03:00.186641Z', t, 503),
    albLine('2024-05-01T10:04:00.186641Z', t, 200),
    albLine('2024-05-01T10:07:00.186641Z', t, 404),
    albLine('2024-05-01T10:01:30.186641Z', u, 200),
    albLine('2024-05-01T10:02:30.186641Z', u, 500),
    albLine('2024-05-01T10:03:10.186641Z', '-', 403),
    albLine('2024-05-01T10:03:20.186641Z', '-', 403),
    albLine('2024-05-01T10:03:30.186641Z', '-', 403),
    albLine('2024-05-01T12:00:01.186641Z', t, 500),
    albLine('2024-05-01T12:00:02.186641Z', t, 500),
    albLine('2024-05-01T12:00:03.186641Z', t, 500),
  ];
  put(root, `lb-logs/alb/AWSLogs/${ACCOUNT}/elasticloadbalancing/${REGION}/2024/05/01/${ACCOUNT}_elasticloadbalancing_${REGION}_app.sra-app-dev.50dc6c495c0c9188_20240501T1005Z_192.0.2.1_x.log`, lines.join('\n') + '\n');
  put(root, `lb-logs/alb-connections/AWSLogs/${ACCOUNT}/elasticloadbalancing/${REGION}/2024/05/01/conn_log.${ACCOUNT}_elasticloadbalancing_${REGION}_app.sra-app-dev.50dc6c495c0c9188_20240501T1005Z_192.0.2.1_x.log`, CONNECTION_LOG_LINE + '\n');
}

/** The connection log example of the Elastic Load Balancing guide. */
export const CONNECTION_LOG_LINE = '2023-01-19T01:07:00.180841Z 192.0.2.1 37236 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 4.036 "-" - - Success TID_1234abcd5678ef90';

/** One server access log record, in the layout of the Amazon S3 guide's example. */
function s3Line(bucket: string, time: string, requester: string, operation: string, key: string, status = 200): string {
  const method = operation.split('.')[1];
  return `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be ${bucket} [${time}] 192.0.2.3 ${requester} 3E57427F3EXAMPLE ${operation} ${key} ` +
    `"${method} /${bucket}/${key} HTTP/1.1" ${status} - 113 4096 7 - "-" "aws-sdk-js/3" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= ` +
    `SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader ${bucket}.s3.${REGION}.amazonaws.com TLSv1.3 - -`;
}

export const READER = `arn:aws:sts::${ACCOUNT}:assumed-role/app-role/i-0app`;
export const DELETER = `arn:aws:sts::${ACCOUNT}:assumed-role/ops/jane`;

function writeS3AccessLogs(root: string): void {
  put(root, 'access-logs/data-bucket/2024-05-01-10-15-00-ABCDEF0123456789', [
    s3Line('data', '01/May/2024:10:05:00 +0000', READER, 'REST.GET.OBJECT', 'app/documents/a.pdf'),
    s3Line('data', '01/May/2024:10:10:00 +0000', DELETER, 'REST.DELETE.OBJECT', 'app/documents/b.pdf', 204),
    s3Line('data', '01/May/2024:10:11:00 +0000', READER, 'REST.PUT.OBJECT', 'app/documents/c.pdf'),
    s3Line('data', '01/May/2024:10:12:00 +0000', READER, 'REST.GET.OBJECT', 'app/other/d.pdf'),
    s3Line('data', '01/May/2024:12:00:00 +0000', READER, 'REST.GET.OBJECT', 'app/documents/a.pdf'),
  ].join('\n') + '\n');
  put(root, 'access-logs/logs-bucket/2024-05-01-10-15-00-0123456789ABCDEF', s3Line('logs', '01/May/2024:10:05:00 +0000', READER, 'REST.GET.OBJECT', 'app/documents/a.pdf') + '\n');
}
