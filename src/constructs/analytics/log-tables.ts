/**
 * The Glue table of each log the account writes to S3, as plain data: columns, SerDe, location and partition
 * projection. The catalog construct writes them to CloudFormation; the tests build DuckDB views from the same
 * objects, so the queries are checked against exactly these definitions.
 */

export interface Column {
  readonly name: string;
  /** A Hive type: string, int, bigint, double, struct<a:string,...>, array<...>. */
  readonly type: string;
  readonly comment?: string;
}

/** One projected partition key (Athena partition projection: no crawlers, no partition maintenance). */
export type Projection =
  /** Values are dates written with `format` (Java DateTimeFormatter), from `range` (e.g. `NOW-90DAYS,NOW`) by `interval` `unit`. */
  | { readonly type: 'date'; readonly format: string; readonly range: string; readonly interval: number; readonly unit: 'MINUTES' | 'HOURS' | 'DAYS' | 'MONTHS' | 'YEARS' }
  /** Whole numbers from `range` (`min,max`), left-padded to `digits`. */
  | { readonly type: 'integer'; readonly range: string; readonly digits: number }
  /** One of the listed values. */
  | { readonly type: 'enum'; readonly values: readonly string[] };

export type LogFormat =
  | { readonly kind: 'parquet' }
  /** One JSON object per line (Hive JSON SerDe: keys matched case-insensitively; nested objects read into `string` columns as JSON text). */
  | { readonly kind: 'json' }
  /** CloudTrail files: one `{"Records": [...]}` object per file, split into records by CloudTrail's input format. */
  | { readonly kind: 'cloudtrail' }
  /** One record per line; the whole line must match `regex`, whose groups are the columns in order. */
  | { readonly kind: 'regex'; readonly regex: string };

export interface LogTable {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly Column[];
  readonly format: LogFormat;
  /** Partition keys in path order, each with its projection; all are `string`. */
  readonly partitions: readonly { readonly name: string; readonly projection: Projection }[];
  /** `s3://bucket/prefix/...${key}...` with one `${key}` per partition key; ends with `/`. */
  readonly locationTemplate: string;
}

/** Where a table's files are: bucket name and key prefix without slashes at the ends. */
export interface LogLocation {
  readonly bucket: string;
  readonly prefix: string;
}

export interface Scope {
  readonly account: string;
  readonly region: string;
  /** Days the logs are kept: projection ranges start this many days back. */
  readonly retentionDays: number;
}

const s = (name: string, comment?: string): Column => ({ name, type: 'string', ...(comment ? { comment } : {}) });
const t = (name: string, type: string): Column => ({ name, type });
const joinPath = (...parts: string[]) => parts.filter((p) => p !== '').join('/');
const since = (scope: Scope) => `NOW-${scope.retentionDays}DAYS,NOW`;

/**
 * VPC flow logs, version 5 fields in Parquet, under Hive-compatible hourly partitions:
 * `<prefix>/AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=/month=/day=/hour=/`.
 * Parquet column names are the field names with `_` for `-`.
 */
export function vpcFlowLogsTable(location: LogLocation, scope: Scope): LogTable {
  return {
    name: 'vpc_flow_logs',
    description: 'VPC flow logs (all traffic, version 5 fields), Parquet, hourly partitions',
    columns: [
      t('version', 'int'),
      s('account_id'),
      s('interface_id'),
      s('srcaddr'),
      s('dstaddr'),
      t('srcport', 'int'),
      t('dstport', 'int'),
      t('protocol', 'bigint'),
      t('packets', 'bigint'),
      t('bytes', 'bigint'),
      t('start', 'bigint'),
      t('end', 'bigint'),
      s('action'),
      s('log_status'),
      s('vpc_id'),
      s('subnet_id'),
      s('instance_id'),
      t('tcp_flags', 'int'),
      s('type'),
      s('pkt_srcaddr'),
      s('pkt_dstaddr'),
      s('region'),
      s('az_id'),
      s('pkt_src_aws_service'),
      s('pkt_dst_aws_service'),
      s('flow_direction'),
      t('traffic_path', 'int'),
    ],
    format: { kind: 'parquet' },
    partitions: [
      { name: 'year', projection: { type: 'date', format: 'yyyy', range: since(scope), interval: 1, unit: 'YEARS' } },
      { name: 'month', projection: { type: 'integer', range: '1,12', digits: 2 } },
      { name: 'day', projection: { type: 'integer', range: '1,31', digits: 2 } },
      { name: 'hour', projection: { type: 'integer', range: '0,23', digits: 2 } },
    ],
    locationTemplate: `s3://${joinPath(location.bucket, location.prefix, 'AWSLogs', `aws-account-id=${scope.account}`, 'aws-service=vpcflowlogs', `aws-region=${scope.region}`)}/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
  };
}

/** CloudTrail log files of a multi-region trail: `<prefix>/AWSLogs/<account>/CloudTrail/<region>/yyyy/MM/dd/`. */
export function cloudTrailTable(location: LogLocation, scope: Scope, regions: readonly string[]): LogTable {
  const identity = 'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,'
    + 'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,'
    + 'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,sourceidentity:string>>';
  return {
    name: 'cloudtrail_logs',
    description: 'CloudTrail management and data events of every region, daily partitions',
    columns: [
      s('eventversion'),
      t('useridentity', identity),
      s('eventtime'),
      s('eventsource'),
      s('eventname'),
      s('awsregion'),
      s('sourceipaddress'),
      s('useragent'),
      s('errorcode'),
      s('errormessage'),
      s('requestparameters', 'JSON text'),
      s('responseelements', 'JSON text'),
      s('additionaleventdata', 'JSON text'),
      s('requestid'),
      s('eventid'),
      t('resources', 'array<struct<arn:string,accountid:string,type:string>>'),
      s('eventtype'),
      s('apiversion'),
      s('readonly'),
      s('recipientaccountid'),
      s('serviceeventdetails', 'JSON text'),
      s('sharedeventid'),
      s('vpcendpointid'),
      s('eventcategory'),
    ],
    format: { kind: 'cloudtrail' },
    partitions: [
      { name: 'region', projection: { type: 'enum', values: regions } },
      { name: 'day', projection: { type: 'date', format: 'yyyy/MM/dd', range: since(scope), interval: 1, unit: 'DAYS' } },
    ],
    locationTemplate: `s3://${joinPath(location.bucket, location.prefix, 'AWSLogs', scope.account, 'CloudTrail')}/\${region}/\${day}/`,
  };
}

/**
 * Application Load Balancer access log entry, per "Access log entries" in the Elastic Load Balancing guide; the
 * regex is AWS's published one with its optional tail fields as non-capturing groups, so groups and columns line up.
 */
export const ALB_ACCESS_LOG_REGEX =
  '([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) '
  + '"([^ ]*) (.*) (- |[^ ]*)" "([^"]*)" ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^"]*)" ([-.0-9]*) ([^ ]*) "([^"]*)" "([^"]*)" '
  + '"([^ ]*)" "([^ ]*)" "([^ ]*)" "([^ ]*)" "([^ ]*)" ?([^ ]*)?(?: .*)?';

/** Application Load Balancer access logs: `<prefix>/AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/MM/dd/`. */
export function albAccessLogsTable(location: LogLocation, scope: Scope): LogTable {
  return {
    name: 'alb_access_logs',
    description: 'Application Load Balancer access logs, daily partitions',
    columns: [
      s('type'),
      s('time'),
      s('elb'),
      s('client_ip'),
      t('client_port', 'int'),
      s('target_ip'),
      t('target_port', 'int'),
      t('request_processing_time', 'double'),
      t('target_processing_time', 'double'),
      t('response_processing_time', 'double'),
      t('elb_status_code', 'int'),
      s('target_status_code'),
      t('received_bytes', 'bigint'),
      t('sent_bytes', 'bigint'),
      s('request_verb'),
      s('request_url'),
      s('request_proto'),
      s('user_agent'),
      s('ssl_cipher'),
      s('ssl_protocol'),
      s('target_group_arn'),
      s('trace_id'),
      s('domain_name'),
      s('chosen_cert_arn'),
      s('matched_rule_priority'),
      s('request_creation_time'),
      s('actions_executed'),
      s('redirect_url'),
      s('lambda_error_reason'),
      s('target_port_list'),
      s('target_status_code_list'),
      s('classification'),
      s('classification_reason'),
      s('conn_trace_id'),
    ],
    format: { kind: 'regex', regex: ALB_ACCESS_LOG_REGEX },
    partitions: [{ name: 'day', projection: { type: 'date', format: 'yyyy/MM/dd', range: since(scope), interval: 1, unit: 'DAYS' } }],
    locationTemplate: `s3://${joinPath(location.bucket, location.prefix, 'AWSLogs', scope.account, 'elasticloadbalancing', scope.region)}/\${day}/`,
  };
}

/** Application Load Balancer connection log entry (TLS handshakes), per "Connection log entries". */
export const ALB_CONNECTION_LOG_REGEX = '([^ ]*) ([^ ]*) ([0-9]*) ([0-9]*) ([A-Za-z0-9.-]*) ([^ ]*) ([-.0-9]*) "([^"]*)" ([^ ]*) ([^ ]*) ([^ ]*) ?([^ ]*)?(?: .*)?';

/** Application Load Balancer connection logs: same layout as access logs, under their own prefix. */
export function albConnectionLogsTable(location: LogLocation, scope: Scope): LogTable {
  return {
    name: 'alb_connection_logs',
    description: 'Application Load Balancer connection (TLS) logs, daily partitions',
    columns: [
      s('time'),
      s('client_ip'),
      t('client_port', 'int'),
      t('listener_port', 'int'),
      s('tls_protocol'),
      s('tls_cipher'),
      t('tls_handshake_latency', 'double'),
      s('leaf_client_cert_subject'),
      s('leaf_client_cert_validity'),
      s('leaf_client_cert_serial_number'),
      s('tls_verify_status'),
      s('conn_trace_id'),
    ],
    format: { kind: 'regex', regex: ALB_CONNECTION_LOG_REGEX },
    partitions: [{ name: 'day', projection: { type: 'date', format: 'yyyy/MM/dd', range: since(scope), interval: 1, unit: 'DAYS' } }],
    locationTemplate: `s3://${joinPath(location.bucket, location.prefix, 'AWSLogs', scope.account, 'elasticloadbalancing', scope.region)}/\${day}/`,
  };
}

/** AWS WAF logs delivered to S3: `AWSLogs/<account>/WAFLogs/<region>/<web ACL name>/yyyy/MM/dd/HH/mm/`. */
export function wafLogsTable(location: LogLocation & { readonly webAclName: string }, scope: Scope): LogTable {
  const header = 'array<struct<name:string,value:string>>';
  return {
    name: 'waf_logs',
    description: 'AWS WAF logs of the load balancer web ACL, per-minute partitions (WAF writes a folder every five minutes)',
    columns: [
      t('timestamp', 'bigint'),
      t('formatversion', 'int'),
      s('webaclid'),
      s('terminatingruleid'),
      s('terminatingruletype'),
      s('action'),
      s('httpsourcename'),
      s('httpsourceid'),
      t('responsecodesent', 'int'),
      t('labels', 'array<struct<name:string>>'),
      t('httprequest', `struct<clientip:string,country:string,headers:${header},uri:string,args:string,httpversion:string,httpmethod:string,requestid:string>`),
      s('ja3fingerprint'),
      s('ja4fingerprint'),
    ],
    format: { kind: 'json' },
    partitions: [{ name: 'log_time', projection: { type: 'date', format: 'yyyy/MM/dd/HH/mm', range: since(scope), interval: 1, unit: 'MINUTES' } }],
    locationTemplate: `s3://${joinPath(location.bucket, location.prefix, 'AWSLogs', scope.account, 'WAFLogs', scope.region, location.webAclName)}/\${log_time}/`,
  };
}

/** Amazon S3 server access log record, per "Amazon S3 server access log format" (AWS's published regex). */
export const S3_ACCESS_LOG_REGEX =
  '([^ ]*) ([^ ]*) \\[(.*?)\\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) ([^ ]*)'
  + '(?: ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*))?.*$';

/**
 * S3 server access logs of every bucket in the account, delivered to the access-log bucket under one prefix per
 * source bucket (`<prefix>/YYYY-MM-DD-hh-mm-ss-<unique>`, no date folders): the `source` partition is that prefix.
 */
export function s3AccessLogsTable(bucket: string, sourcePrefixes: readonly string[] | string): LogTable {
  return {
    name: 's3_access_logs',
    description: 'S3 server access logs of every bucket, one partition per source prefix',
    columns: [
      s('bucketowner'),
      s('bucket_name'),
      s('requestdatetime'),
      s('remoteip'),
      s('requester'),
      s('requestid'),
      s('operation'),
      s('key'),
      s('request_uri'),
      t('httpstatus', 'int'),
      s('errorcode'),
      t('bytessent', 'bigint'),
      t('objectsize', 'bigint'),
      s('totaltime'),
      s('turnaroundtime'),
      s('referrer'),
      s('useragent'),
      s('versionid'),
      s('hostid'),
      s('sigv'),
      s('ciphersuite'),
      s('authtype'),
      s('endpoint'),
      s('tlsversion'),
      s('accesspointarn'),
      s('aclrequired'),
    ],
    format: { kind: 'regex', regex: S3_ACCESS_LOG_REGEX },
    partitions: [{ name: 'source', projection: { type: 'enum', values: typeof sourcePrefixes === 'string' ? [sourcePrefixes] : sourcePrefixes } }],
    locationTemplate: `s3://${bucket}/\${source}/`,
  };
}

/** Glue table parameters for partition projection. */
export function projectionParameters(table: LogTable): Record<string, string> {
  const params: Record<string, string> = { 'projection.enabled': 'true', 'storage.location.template': table.locationTemplate };
  for (const { name, projection: p } of table.partitions) {
    const key = `projection.${name}`;
    params[`${key}.type`] = p.type;
    if (p.type === 'date') {
      Object.assign(params, { [`${key}.format`]: p.format, [`${key}.range`]: p.range, [`${key}.interval`]: String(p.interval), [`${key}.interval.unit`]: p.unit });
    } else if (p.type === 'integer') {
      Object.assign(params, { [`${key}.range`]: p.range, [`${key}.digits`]: String(p.digits) });
    } else {
      params[`${key}.values`] = p.values.join(',');
    }
  }
  return params;
}

/** Input format, output format and SerDe of each log format, as Athena's documentation gives them. */
export function storageFormat(format: LogFormat): { inputFormat: string; outputFormat: string; serde: string; serdeParameters: Record<string, string> } {
  const text = { inputFormat: 'org.apache.hadoop.mapred.TextInputFormat', outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' };
  switch (format.kind) {
    case 'parquet':
      return {
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        serdeParameters: { 'serialization.format': '1' },
      };
    case 'json':
      return { ...text, serde: 'org.openx.data.jsonserde.JsonSerDe', serdeParameters: { 'case.insensitive': 'true' } };
    case 'cloudtrail':
      return { ...text, inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat', serde: 'org.apache.hive.hcatalog.data.JsonSerDe', serdeParameters: {} };
    case 'regex':
      return { ...text, serde: 'org.apache.hadoop.hive.serde2.RegexSerDe', serdeParameters: { 'input.regex': format.regex } };
  }
}
