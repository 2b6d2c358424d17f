import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomResource, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IDependable } from 'constructs';
import { SecureFunction } from '../lambda/secure-function';
import { grantSecretValue } from './service-secret';

/** The bootstrap's few statements run in seconds; two minutes covers a cold start in the VPC and a slow first connection. */
const BOOTSTRAP_TIMEOUT = Duration.minutes(2);

const HANDLER_DIR = join(__dirname, '..', '..', '..', 'functions', 'db-bootstrap');

export interface DatabaseBootstrapProps {
  readonly engine: 'aurora-postgresql' | 'aurora-mysql';
  /** The master secret (username, password); only this construct's function reads it. */
  readonly masterSecret: secretsmanager.ISecret;
  /** The key the master secret is encrypted with. */
  readonly masterSecretKey: kms.IKey;
  /** The writer endpoint's host name and port. */
  readonly host: string;
  readonly port: number;
  readonly databaseName: string;
  /** The role the service logs in as with IAM authentication. */
  readonly appUsername: string;
  /** The schema the service keeps its tables in. @default - the app user's name */
  readonly schema?: string;
  readonly vpc: ec2.IVpc;
  /** Subnets of the function: they reach the database port and the Secrets Manager endpoint. */
  readonly subnets: ec2.SubnetSelection;
  /** The database's group; the function is admitted to the database port. */
  readonly database: ec2.IConnectable;
  /** Encrypts the functions' environments and dead-letter queues. */
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** What must exist before the statements run (the cluster and its writer). */
  readonly dependsOn?: readonly IDependable[];
}

const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Creates the service's database role with `rds_iam` (IAM tokens only, no
 * password), its schema and exactly its grants, as the master user, from a
 * function in the VPC that alone reads the master secret: the fleet never sees
 * it. Runs again when the grants change; safe to repeat; Delete leaves the
 * role and the data in place. The certificate of the database is verified
 * against the RDS CAs.
 */
export class DatabaseBootstrap extends Construct {
  /** Invoked by CloudFormation directly; it answers at the request's response URL. */
  readonly function: SecureFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DatabaseBootstrapProps) {
    super(scope, id);
    if (props.engine !== 'aurora-postgresql') {
      throw new Error(`${this.node.path}: the database bootstrap supports engine aurora-postgresql only (got ${JSON.stringify(props.engine)}); the documents service runs on PostgreSQL`);
    }
    const schema = props.schema ?? props.appUsername;
    for (const [field, value] of [['databaseName', props.databaseName], ['appUsername', props.appUsername], ['schema', schema]] as const) {
      if (!IDENTIFIER.test(value)) throw new Error(`${this.node.path}: ${field} must be a lower-case identifier (got ${JSON.stringify(value)})`);
    }
    // One function and no provider framework: the statements take seconds, and the handler answers CloudFormation itself.
    this.function = new SecureFunction(this, 'Function', {
      entry: join(HANDLER_DIR, 'handler.ts'),
      description: 'Database bootstrap: the service role, its schema and grants',
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      timeout: BOOTSTRAP_TIMEOUT,
      reservedConcurrency: 1,
      // The master secret; S3 for the answer to CloudFormation (the database port is added below).
      calls: ['secretsmanager', 's3'],
    });
    grantSecretValue(this.function, props.masterSecret, props.masterSecretKey);
    // The function's own group reaches the database port; the database group admits it.
    this.function.connections.allowTo(props.database, ec2.Port.tcp(props.port), 'Database bootstrap (master user)');

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.function.functionArn,
      resourceType: 'Custom::DatabaseBootstrap',
      // The function answers within its own timeout; CloudFormation's default wait would be an hour.
      serviceTimeout: BOOTSTRAP_TIMEOUT.plus(Duration.minutes(3)),
      properties: {
        MasterSecretArn: props.masterSecret.secretArn,
        Host: props.host,
        Port: String(props.port),
        DatabaseName: props.databaseName,
        AppUsername: props.appUsername,
        Schema: schema,
        GrantsVersion: grantsVersion(),
      },
    });
    for (const dependable of props.dependsOn ?? []) this.resource.node.addDependency(dependable);
  }
}

/** Changes whenever the grant statements do, so an update re-applies them. */
function grantsVersion(): string {
  return createHash('sha256').update(readFileSync(join(HANDLER_DIR, 'grants.ts'))).digest('hex').slice(0, 16);
}
