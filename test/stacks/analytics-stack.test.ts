import { ATHENA_ENGINE_VERSION } from '../../src/constructs/analytics/investigation-workgroup';
import { loadQueries } from '../../src/constructs/analytics/queries';
import { configFrom, resourcesOfType, synthesize, synthesizeExample, type Synthesized } from '../helpers/app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const only = <T>(list: T[]): T => {
  expect(list).toHaveLength(1);
  return list[0]!;
};
const analytics = (s: Synthesized) => s.json.Analytics!;
const tables = (s: Synthesized): Record<string, Json> => Object.fromEntries(resourcesOfType(analytics(s), 'AWS::Glue::Table').map(([, p]) => [p.TableInput.Name, p.TableInput]));
const workgroup = (s: Synthesized): Json => only(resourcesOfType(analytics(s), 'AWS::Athena::WorkGroup'))[1];
const resultsBucketId = (s: Synthesized) => only(resourcesOfType(analytics(s), 'AWS::S3::Bucket'))[0];
const refersTo = (value: unknown, fragment: string) => JSON.stringify(value).includes(fragment);
/** The logs key of the Security stack, as the Analytics stack refers to it (a cross-stack reference, or the central key's ARN). */
const logsKeyArn = (s: Synthesized) => {
  const stage = s.built.stages[0]!;
  return stage.analytics.resolve(stage.security.keys.logs.keyArn);
};
/** The role resources of the Response stack, by logical id prefix. */
const responseRole = (s: Synthesized, prefix: string) => only(resourcesOfType(s.json.Response!, 'AWS::IAM::Role').filter(([id]) => id.startsWith(prefix)))[0];

describe.each(['dev', 'prod'] as const)('Analytics stack (%s example)', (name) => {
  const s = synthesizeExample(name);

  test('the workgroup enforces its settings: results location and encryption, scan limit, pinned engine', () => {
    const config = workgroup(s).WorkGroupConfiguration;
    expect(config.EnforceWorkGroupConfiguration).toBe(true);
    expect(config.EngineVersion).toEqual({ SelectedEngineVersion: ATHENA_ENGINE_VERSION });
    expect(config.BytesScannedCutoffPerQuery).toBe(10 * 1024 ** 3);
    expect(config.RequesterPaysEnabled).toBe(false);
    expect(config.ResultConfiguration.OutputLocation).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: resultsBucketId(s) }, '/results/']] });
    expect(config.ResultConfiguration.EncryptionConfiguration.EncryptionOption).toBe('SSE_KMS');
    expect(config.ResultConfiguration.EncryptionConfiguration.KmsKey).toEqual(logsKeyArn(s));
  });

  test('the results bucket is its own, encrypted with the logs key', () => {
    const bucket = only(resourcesOfType(analytics(s), 'AWS::S3::Bucket'))[1];
    const rule = bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
    expect(rule.SSEAlgorithm).toBe('aws:kms');
    expect(rule.KMSMasterKeyID).toEqual(logsKeyArn(s));
  });

  test('only the investigator and responder roles may query: the one policy allowing it is attached to them alone', () => {
    const allowing = Object.entries(s.json)
      .flatMap(([, template]) => [...resourcesOfType(template, 'AWS::IAM::ManagedPolicy'), ...resourcesOfType(template, 'AWS::IAM::Policy')])
      .filter(([, p]) => p.PolicyDocument.Statement.some((st: Json) => st.Effect === 'Allow' && [st.Action].flat().includes('athena:StartQueryExecution')));
    const [, policy] = only(allowing);
    expect(JSON.stringify(policy.Roles)).toContain(responseRole(s, 'RespondersInvestigator'));
    expect(JSON.stringify(policy.Roles)).toContain(responseRole(s, 'RespondersResponder'));
    expect(policy.Roles).toHaveLength(2);
    const start = only<Json>(policy.PolicyDocument.Statement.filter((st: Json) => [st.Action].flat().includes('athena:StartQueryExecution')));
    expect(start.Resource).toMatch(new RegExp(`^arn:aws:athena:eu-west-1:\\d{12}:workgroup/sra-app-${name}-investigation$`));
  });

  test('result objects are denied to every other principal by the bucket policy', () => {
    const statements: Json[] = only(resourcesOfType(analytics(s), 'AWS::S3::BucketPolicy'))[1].PolicyDocument.Statement;
    const deny = only(statements.filter((st) => st.Sid === 'ResultsOnlyForInvestigators'));
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:GetObject', 's3:PutObject'] });
    const allowed = deny.Condition.ArnNotEquals['aws:PrincipalArn'];
    expect(allowed).toHaveLength(2);
    expect(refersTo(allowed, 'RespondersInvestigator')).toBe(true);
    expect(refersTo(allowed, 'RespondersResponder')).toBe(true);
  });

  test('every table projects its partitions (no crawler) from the location the logs are written to', () => {
    const all = tables(s);
    for (const table of Object.values(all)) {
      expect(table.Parameters['projection.enabled']).toBe('true');
      for (const key of table.PartitionKeys) expect(table.Parameters[`projection.${key.Name}.type`]).toBeDefined();
      expect(refersTo(table.Parameters['storage.location.template'], '${')).toBe(true);
    }
    expect(resourcesOfType(analytics(s), 'AWS::Glue::Crawler')).toEqual([]);
    expect(refersTo(all.vpc_flow_logs.Parameters['storage.location.template'], '/vpc-flow-logs/AWSLogs/aws-account-id=')).toBe(true);
    expect(all.vpc_flow_logs.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(refersTo(all.alb_access_logs.Parameters['storage.location.template'], '/alb/AWSLogs/')).toBe(true);
    expect(refersTo(all.alb_connection_logs.Parameters['storage.location.template'], '/alb-connections/AWSLogs/')).toBe(true);
    expect(all.alb_access_logs.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.serde2.RegexSerDe');
    // Projection ranges follow the configured retention.
    const retention = name === 'dev' ? 90 : 365;
    expect(all.alb_access_logs.Parameters['projection.day.range']).toBe(`NOW-${retention}DAYS,NOW`);
  });

  test('the S3 access-log table covers the prefix of every bucket that logs to the access-log bucket', () => {
    const sources = tables(s).s3_access_logs.Parameters['projection.source.values'].split(',');
    expect(sources).toEqual(expect.arrayContaining(['logs-bucket', 'data-bucket', 'load-balancer-logs', 'athena-results']));
    const everyPrefix = Object.values(s.json).flatMap((t) => resourcesOfType(t, 'AWS::S3::Bucket')).flatMap(([, b]) => (b.LoggingConfiguration ? [b.LoggingConfiguration.LogFilePrefix.replace(/\/$/, '')] : []));
    expect([...sources].sort()).toEqual([...new Set(everyPrefix)].sort());
  });

  test('each query is saved as a prepared statement with positional parameters and as a named query', () => {
    const present = Object.keys(tables(s));
    const expected = loadQueries().filter((q) => present.includes(q.table));
    const statements = resourcesOfType(analytics(s), 'AWS::Athena::PreparedStatement').map(([, p]) => p);
    expect(statements.map((p) => p.StatementName).sort()).toEqual(expected.map((q) => q.name.replaceAll('-', '_')).sort());
    for (const statement of statements) {
      expect(statement.QueryStatement).toContain('?');
      expect(statement.QueryStatement).not.toMatch(/(?<![:\w]):[a-z]/);
      expect(statement.WorkGroup).toEqual({ Ref: expect.stringMatching(/^Workgroup/) });
    }
    expect(resourcesOfType(analytics(s), 'AWS::Athena::NamedQuery')).toHaveLength(expected.length);
  });
});

describe('tables follow the config', () => {
  test('dev (standalone) has the CloudTrail table, prod (organization) does not; WAF logs only where they go to S3', () => {
    expect(Object.keys(tables(synthesizeExample('dev')))).toContain('cloudtrail_logs');
    expect(Object.keys(tables(synthesizeExample('prod')))).not.toContain('cloudtrail_logs');
    // Audit history is kept a year while dev's flow logs are kept 90 days: each table projects what its logs keep.
    const dev = tables(synthesizeExample('dev'));
    expect(JSON.stringify(dev.cloudtrail_logs!.Parameters)).toContain('NOW-365DAYS,NOW');
    expect(JSON.stringify(dev.vpc_flow_logs!.Parameters)).toContain('NOW-90DAYS,NOW');
    expect(Object.keys(tables(synthesizeExample('dev')))).not.toContain('waf_logs');
    const waf = tables(synthesizeExample('prod')).waf_logs;
    expect(refersTo(waf.Parameters['storage.location.template'], '/WAFLogs/eu-west-1/sra-app-prod/${log_time}/')).toBe(true);
  });

  test('flow logs to CloudWatch Logs: no flow log table nor its queries; no responders: nobody may read results; the scan limit from config', () => {
    const s = synthesize(
      configFrom('dev', (c) => {
        c.network.flowLogs.destination = 'cloudWatchLogs';
        c.response = { enabled: false };
        c.analytics = { queryScanLimitGb: 2 };
      }),
    );
    expect(Object.keys(tables(s))).not.toContain('vpc_flow_logs');
    expect(resourcesOfType(analytics(s), 'AWS::Athena::PreparedStatement').map(([, p]) => p.StatementName)).not.toContain('flow_traffic_for_host');
    expect(workgroup(s).WorkGroupConfiguration.BytesScannedCutoffPerQuery).toBe(2 * 1024 ** 3);
    expect(resourcesOfType(analytics(s), 'AWS::IAM::ManagedPolicy')).toEqual([]);
    const deny = only<Json>(only(resourcesOfType(analytics(s), 'AWS::S3::BucketPolicy'))[1].PolicyDocument.Statement.filter((st: Json) => st.Sid === 'ResultsOnlyForInvestigators'));
    expect(refersTo(deny.Condition.ArnNotEquals['aws:PrincipalArn'], 'role/no-investigator')).toBe(true);
  });
});
