import { Lazy, Stack, Stage, type StackProps } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config';
import { KNOWN_REGIONS } from '../config/regions';
import { accessLogPrefixes } from '../constructs/analytics/access-log-sources';
import { InvestigationWorkgroup, investigationWorkgroupName, logDatabaseName } from '../constructs/analytics/investigation-workgroup';
import { LogCatalog, type LogSource } from '../constructs/analytics/log-catalog';
import { albAccessLogsTable, albConnectionLogsTable, cloudTrailTable, s3AccessLogsTable, vpcFlowLogsTable, wafLogsTable } from '../constructs/analytics/log-tables';
import { loadQueries } from '../constructs/analytics/queries';
import { FLOW_LOG_PREFIX } from '../constructs/network/vpc-flow-logs';
import type { NetworkStack } from './network-stack';
import type { ApplicationStack } from './application-stack';
import type { DetectionStack } from './detection-stack';
import type { SecurityStack } from './security-stack';

export interface AnalyticsStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  readonly detection: DetectionStack;
  readonly application: ApplicationStack;
  /** The only roles that may query (the incident investigator and responder); none when incident response is off. */
  readonly queryRoles: readonly iam.IRole[];
}

/**
 * Investigation over the account's logs: a Glue database with a table for each log written to S3 (VPC flow
 * logs, CloudTrail in standalone mode, load balancer access and connection logs, WAF logs when they go to S3,
 * S3 server access logs), an Athena workgroup with enforced settings and the saved investigation queries.
 * Its own stack: it reads from the Security, Detection and Application stacks and grants to the Response
 * stack's roles, so it deploys after them all. Logs kept only in CloudWatch Logs (Aurora, Session Manager,
 * WAF and flow logs when configured so) are searched with CloudWatch Logs Insights instead.
 */
export class AnalyticsStack extends Stack {
  readonly catalog: LogCatalog;
  readonly workgroup: InvestigationWorkgroup;

  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);
    const { settings, security, network, detection, application } = props;
    const logs = security.logArchive;
    // The log buckets come in as named exports: their names then render the same in the templates and in the
    // acknowledgements of the investigators' object reads (see InvestigationWorkgroup).
    const imports = new Map<s3.IBucket, s3.IBucket>();
    const imported = (bucket: s3.IBucket, purpose: string): s3.IBucket => {
      const producer = Stack.of(bucket);
      const id = `Imported${purpose.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
      if (!imports.has(bucket)) imports.set(bucket, s3.Bucket.fromBucketName(this, id, producer.exportValue(bucket.bucketName, { name: `${producer.stackName}-${purpose}` })));
      return imports.get(bucket)!;
    };
    const logBucket = imported(logs.logBucket, 'log-bucket');
    const accessLogBucket = imported(logs.accessLogBucket, 'access-log-bucket');
    const logScope = { account: settings.account, region: settings.region, retentionDays: settings.network.flowLogs.retentionDays };
    const sources: LogSource[] = [];

    if (network.flowLogs.bucket) {
      const bucket = imported(network.flowLogs.bucket, 'log-bucket');
      const prefix = FLOW_LOG_PREFIX.replace(/\/$/, '');
      sources.push({ table: vpcFlowLogsTable({ bucket: bucket.bucketName, prefix }, logScope), bucket, prefix, key: logs.key });
    }
    if (detection.trail) {
      const prefix = detection.trail.prefix;
      // CloudTrail is audit history, kept longer than flow logs: its partitions reach back as far as the log archive keeps it.
      sources.push({ table: cloudTrailTable({ bucket: logBucket.bucketName, prefix }, { ...logScope, retentionDays: settings.logArchive.auditRetentionDays }, KNOWN_REGIONS), bucket: logBucket, prefix, key: logs.key });
    }
    const lbBucket = imported(application.loadBalancerLogBucket, 'load-balancer-log-bucket');
    const lb = application.loadBalancer;
    sources.push({ table: albAccessLogsTable({ bucket: lbBucket.bucketName, prefix: lb.accessLogPrefix }, logScope), bucket: lbBucket, prefix: lb.accessLogPrefix });
    sources.push({ table: albConnectionLogsTable({ bucket: lbBucket.bucketName, prefix: lb.connectionLogPrefix }, logScope), bucket: lbBucket, prefix: lb.connectionLogPrefix });
    if (application.wafLogs) {
      const bucket = imported(application.wafLogs.bucket, 'waf-log-bucket');
      const webAclName = application.wafLogs.webAclName;
      sources.push({ table: wafLogsTable({ bucket: bucket.bucketName, prefix: '', webAclName }, logScope), bucket, prefix: 'AWSLogs', key: logs.key });
    }
    // Every bucket logging to the access-log bucket, wherever in the stage it is defined, read when synthesized.
    const accessLogSources = Lazy.string({ produce: () => accessLogPrefixes(Stage.of(this) ?? this, logs.accessLogBucket).join(',') });
    sources.push({ table: s3AccessLogsTable(accessLogBucket.bucketName, accessLogSources), bucket: accessLogBucket, prefix: '' });

    const name = `${settings.appName}-${settings.name}`;
    this.catalog = new LogCatalog(this, 'Catalog', { databaseName: logDatabaseName(name), sources });
    this.workgroup = new InvestigationWorkgroup(this, 'Workgroup', {
      name: investigationWorkgroupName(name),
      catalog: this.catalog,
      key: logs.key,
      accessLogBucket: logs.accessLogBucket,
      bytesScannedCutoffPerQuery: settings.analytics.queryScanLimitGb * 1024 ** 3,
      resultRetentionDays: settings.analytics.resultRetentionDays,
      queries: loadQueries(),
    });
    for (const role of props.queryRoles) this.workgroup.grantQuery(role);
    // Imports do not order stacks by themselves.
    for (const producer of [security, network, detection, application]) this.addStackDependency(producer);
  }
}
