import { Aws, Lazy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAll } from '../../compliance';
import { SecureBucket } from '../storage/secure-bucket';
import { toAthena } from './dialect';
import { type LogCatalog, READ_LOG_OBJECTS_SID } from './log-catalog';
import type { InvestigationQuery } from './queries';

/** The engine the saved queries are written and tested for; pinned so an upgrade is a reviewed change. */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/** Key prefix of query results in the results bucket. */
const RESULTS_PREFIX = 'results';
const RESULTS_SID = 'WriteAndReadResults';

export interface InvestigationWorkgroupProps {
  /** Workgroup name, e.g. `sra-app-dev-investigation`. */
  readonly name: string;
  readonly catalog: LogCatalog;
  /** Encrypts query results (the log archive's logs key: results are copies of log records). */
  readonly key: kms.IKey;
  /** Receives the results bucket's server access logs. */
  readonly accessLogBucket: s3.IBucket;
  /** Athena cancels a query that would scan more than this. */
  readonly bytesScannedCutoffPerQuery: number;
  readonly resultRetentionDays: number;
  /** Saved in the workgroup, each where the catalog has its table. */
  readonly queries: readonly InvestigationQuery[];
}

/**
 * The Athena workgroup investigators query the logs in. Its settings are enforced (a client cannot send results
 * elsewhere, unencrypted, or lift the scan limit), the engine version is pinned, and results go to a bucket of
 * its own, encrypted with the logs key, that only the principals given `grantQuery` may read or write: Athena
 * writes results with the caller's own credentials, so nobody else can run a query here.
 * Each query is saved twice: as a prepared statement (`EXECUTE <name> USING ...`, what `npm run query` runs) and
 * as a named query, for the console.
 */
export class InvestigationWorkgroup extends Construct {
  readonly workgroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;
  readonly workgroupName: string;
  /** The saved queries, by name. */
  readonly preparedStatements: Readonly<Record<string, athena.CfnPreparedStatement>>;
  private readonly catalog: LogCatalog;
  private readonly key: kms.IKey;
  private readonly users: iam.IRole[] = [];
  private policy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: InvestigationWorkgroupProps) {
    super(scope, id);
    this.catalog = props.catalog;
    this.key = props.key;
    this.workgroupName = props.name;
    const results = new SecureBucket(this, 'Results', {
      encryption: { kind: 'kms', key: props.key },
      serverAccessLogs: { bucket: props.accessLogBucket, prefix: 'athena-results/' },
      expireAfterDays: props.resultRetentionDays,
      noncurrentVersionDays: 1,
    });
    acknowledgeAll(
      results,
      ['NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled'],
      'Query results are working copies of log records that expire with the bucket lifecycle; the logs they are computed from stay in the log archive, which is the record',
    );
    this.resultsBucket = results.bucket;
    this.denyResultsToOthers();

    this.workgroup = new athena.CfnWorkGroup(this, 'Resource', {
      name: props.name,
      description: 'Investigations over the account logs: enforced settings, encrypted results, per-query scan limit',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${RESULTS_PREFIX}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });

    const statements: Record<string, athena.CfnPreparedStatement> = {};
    for (const query of props.queries.filter((q) => props.catalog.tableNames.includes(q.table))) {
      const athenaSql = toAthena(query.sql);
      const statement = new athena.CfnPreparedStatement(this, `${pascal(query.name)}Statement`, {
        statementName: statementName(query.name),
        workGroup: this.workgroup.ref,
        description: truncate(query.question, 1024),
        queryStatement: athenaSql.sql,
      });
      statement.node.addDependency(props.catalog.tables[query.table]!);
      statements[query.name] = statement;
      const named = new athena.CfnNamedQuery(this, `${pascal(query.name)}Query`, {
        name: query.name,
        description: truncate(query.question, 1024),
        database: props.catalog.databaseName,
        workGroup: this.workgroup.ref,
        queryString: `-- ${query.question}\n-- Execution parameters, in order: ${athenaSql.order.join(', ') || 'none'}\n${athenaSql.sql}`,
      });
      named.node.addDependency(props.catalog.tables[query.table]!);
    }
    this.preparedStatements = statements;
  }

  /**
   * Lets `role` run queries in this workgroup: start, watch and read queries and the saved ones, read the
   * catalog and the log objects, write and read results. One managed policy in this stack holds it for every
   * role given, so the roles' own stacks need no reference to this one.
   */
  grantQuery(role: iam.IRole): void {
    this.users.push(role);
    if (this.policy) {
      this.policy.attachToRole(role);
      return;
    }
    const stack = Stack.of(this);
    const workgroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workgroupName });
    this.policy = new iam.ManagedPolicy(this, 'QueryPolicy', {
      description: `Query the account logs in the ${this.workgroupName} Athena workgroup`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'UseWorkgroup',
          actions: [
            'athena:StartQueryExecution',
            'athena:StopQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:GetQueryResultsStream',
            'athena:BatchGetQueryExecution',
            'athena:ListQueryExecutions',
            'athena:GetWorkGroup',
            'athena:GetNamedQuery',
            'athena:BatchGetNamedQuery',
            'athena:ListNamedQueries',
            'athena:GetPreparedStatement',
            'athena:BatchGetPreparedStatement',
            'athena:ListPreparedStatements',
          ],
          resources: [workgroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'UseDataCatalog',
          actions: ['athena:GetDataCatalog', 'athena:GetDatabase', 'athena:GetTableMetadata', 'athena:ListDatabases', 'athena:ListTableMetadata'],
          resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
        }),
        ...this.catalog.readStatements(),
        new iam.PolicyStatement({
          sid: RESULTS_SID,
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [this.resultsBucket.arnForObjects(`${RESULTS_PREFIX}/*`)],
        }),
        new iam.PolicyStatement({ sid: 'ListResults', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.resultsBucket.bucketArn] }),
        new iam.PolicyStatement({
          sid: 'EncryptResults',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [this.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
        }),
      ],
    });
    acknowledgeObjectWildcards(this.policy);
  }

  /** Result objects are denied to every principal but the roles given `grantQuery`, whatever their IAM policies say. */
  private denyResultsToOthers(): void {
    this.resultsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ResultsOnlyForInvestigators',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.resultsBucket.arnForObjects('*')],
        conditions: {
          ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => (this.users.length ? this.users.map((r) => r.roleArn) : [NOBODY]) }) },
        },
      }),
    );
  }
}

const OBJECT_WILDCARD_REASONS: Readonly<Record<string, string>> = {
  [READ_LOG_OBJECTS_SID]: 'Log object keys are written by the log services (dated folders, generated file names); the policy reads objects only under the prefixes of the catalog\'s log tables, and only through Athena\'s workgroup users',
  [RESULTS_SID]: 'Athena names result objects by query id under the results prefix; the policy reads and writes only there, in the workgroup\'s own results bucket',
};

/**
 * Acknowledges each object wildcard exactly as the pack names it (the resource as cdk-nag flattens it). Bucket names
 * from other stacks must reach this stack as imports (`Fn::ImportValue` of a named export), whose rendering is
 * known here; an automatic cross-stack reference is rendered only at synthesis.
 */
function acknowledgeObjectWildcards(policy: iam.ManagedPolicy): void {
  const document = Stack.of(policy).resolve(policy.document.toJSON()) as { Statement: { Sid?: string; Effect: string; Resource: unknown }[] };
  for (const statement of document.Statement) {
    const reason = Object.entries(OBJECT_WILDCARD_REASONS).find(([sid]) => statement.Sid?.startsWith(sid))?.[1];
    if (!reason || statement.Effect !== 'Allow') continue;
    for (const resource of [statement.Resource].flat()) {
      const flat = flattenCfnReference(resource);
      if (flat.includes('*')) acknowledge(policy, { id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
    }
  }
}

/** Stands in when no role may query: the deny then covers every principal. */
const NOBODY = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/no-investigator`;

/** The investigation workgroup of an environment, from its stack-name prefix (`<app>-<environment>`). */
export const investigationWorkgroupName = (prefix: string) => `${prefix}-investigation`;

/** The log database of an environment, from its stack-name prefix: Athena reads unquoted names of letters, digits and `_`. */
export const logDatabaseName = (prefix: string) => `${prefix}_logs`.replaceAll('-', '_');

/** Prepared statement names take letters, digits and underscores. */
export const statementName = (queryName: string) => queryName.replaceAll('-', '_');

const pascal = (name: string) => name.split(/[-_]/).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
const truncate = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
