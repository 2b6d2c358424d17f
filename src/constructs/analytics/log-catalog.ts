import { Aws, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type LogTable, projectionParameters, storageFormat } from './log-tables';

/** A table and the bucket its files are in. */
export interface LogSource {
  readonly table: LogTable;
  readonly bucket: s3.IBucket;
  /** Key prefix the table reads under (no slashes at the ends; empty for the whole bucket). */
  readonly prefix: string;
  /** The key the objects are encrypted with; none for SSE-S3 buckets. */
  readonly key?: kms.IKey;
}

export interface LogCatalogProps {
  /** Lowercase letters, digits and underscores (Athena reads other names only when quoted). */
  readonly databaseName: string;
  readonly sources: readonly LogSource[];
}

/**
 * A Glue Data Catalog database with one external table per log, each with partition projection: Athena
 * computes partitions from the table's parameters, so there is no crawler to run and no partition to add
 * as logs arrive.
 */
export class LogCatalog extends Construct {
  readonly databaseName: string;
  readonly database: glue.CfnDatabase;
  /** Tables by name. */
  readonly tables: Readonly<Record<string, glue.CfnTable>>;
  private readonly sources: readonly LogSource[];

  constructor(scope: Construct, id: string, props: LogCatalogProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9_]{0,254}$/.test(props.databaseName)) {
      throw new Error(`${this.node.path}: databaseName must be lowercase letters, digits and underscores, starting with a letter (got ${JSON.stringify(props.databaseName)})`);
    }
    this.databaseName = props.databaseName;
    this.sources = props.sources;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: props.databaseName, description: 'Every log this account writes to S3, for Athena; partitions are projected, never crawled' },
    });
    const tables: Record<string, glue.CfnTable> = {};
    for (const { table } of props.sources) {
      if (tables[table.name]) throw new Error(`${this.node.path}: two sources define table ${table.name}`);
      tables[table.name] = this.table(table);
    }
    this.tables = tables;
  }

  /** The names of the tables the catalog holds. */
  get tableNames(): string[] {
    return Object.keys(this.tables);
  }

  /** Read the catalog's definitions and the log objects under each table's prefix (and decrypt them). */
  readStatements(): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const arn = (resource: string) => stack.formatArn({ service: 'glue', resource, resourceName: undefined });
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadLogCatalog',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
        resources: [
          arn('catalog'),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
          ...this.tableNames.map((name) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${name}` })),
        ],
      }),
    ];
    const byBucket = new Map<s3.IBucket, string[]>();
    for (const source of this.sources) byBucket.set(source.bucket, [...(byBucket.get(source.bucket) ?? []), source.prefix]);
    for (const [bucket, prefixes] of byBucket) {
      statements.push(new iam.PolicyStatement({ sid: readObjectsSid(statements.length), actions: ['s3:GetObject'], resources: objectPatterns(prefixes).map((p) => bucket.arnForObjects(p)) }));
      statements.push(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          ...(prefixes.every((p) => p) ? { conditions: { StringLike: { 's3:prefix': [...new Set(prefixes)].map((p) => `${p}/*`) } } } : {}),
        }),
      );
      statements.push(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }));
    }
    const keys = [...new Set(this.sources.flatMap((s) => (s.key ? [s.key] : [])))];
    if (keys.length) {
      statements.push(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: keys.map((k) => k.keyArn),
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
        }),
      );
    }
    return statements;
  }

  private table(table: LogTable): glue.CfnTable {
    const format = storageFormat(table.format);
    const location = table.locationTemplate.slice(0, table.locationTemplate.indexOf('${'));
    const cfn = new glue.CfnTable(this, pascal(table.name), {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name: table.name,
        description: table.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: { EXTERNAL: 'TRUE', classification: CLASSIFICATION[table.format.kind], ...projectionParameters(table) },
        partitionKeys: table.partitions.map((p) => ({ name: p.name, type: 'string' })),
        storageDescriptor: {
          columns: table.columns.map((c) => ({ name: c.name, type: c.type, ...(c.comment ? { comment: c.comment } : {}) })),
          location,
          inputFormat: format.inputFormat,
          outputFormat: format.outputFormat,
          serdeInfo: { serializationLibrary: format.serde, parameters: format.serdeParameters },
        },
      },
    });
    cfn.node.addDependency(this.database);
    return cfn;
  }
}

/** Statements that read log objects carry this Sid prefix. */
export const READ_LOG_OBJECTS_SID = 'ReadLogObjects';
const readObjectsSid = (n: number) => `${READ_LOG_OBJECTS_SID}${n}`;

/** Object key patterns covering the prefixes: `p/*` each, or `p*` where one prefix starts every other (`alb`, `alb-connections`). */
export function objectPatterns(prefixes: readonly string[]): string[] {
  const unique = [...new Set(prefixes)].sort((a, b) => a.length - b.length);
  if (unique.some((p) => p === '')) return ['*'];
  const shortest = unique[0]!;
  if (unique.length > 1 && unique.every((p) => p.startsWith(shortest))) return [`${shortest}*`];
  return unique.map((p) => `${p}/*`);
}

const CLASSIFICATION: Record<LogTable['format']['kind'], string> = { parquet: 'parquet', json: 'json', cloudtrail: 'cloudtrail', regex: 'text' };

const pascal = (name: string) => name.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
