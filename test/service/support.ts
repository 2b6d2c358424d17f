import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { FastifyInstance } from 'fastify';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Client, type Pool } from 'pg';
import { buildApp } from '../../service/src/app';
import { albIdentity, localDevIdentity, noIdentity } from '../../service/src/auth/identity';
import { loadConfig, type ServiceConfig } from '../../service/src/config';
import { bootstrapStatements } from '../../service/src/db/grants';
import { migrate } from '../../service/src/db/migrations';
import { createPool, type PasswordProvider } from '../../service/src/db/pool';
import { resetMoto, type Moto } from '../helpers/moto';
import { freshDatabase, type Postgres } from '../helpers/postgres';
import { ALB_ARN, CLIENT_ID, ISSUER, type AlbKeyServer } from './alb-tokens';

export const REGION = 'eu-west-1';

/** AWS side in moto: the bucket, the data key, the signing secret and the token vault table. */
export interface AwsFixture {
  moto: Moto;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  secrets: SecretsManagerClient;
  kms: KMSClient;
  bucket: string;
  keyArn: string;
  secretArn: string;
  tableName: string;
}

export async function awsFixture(): Promise<AwsFixture> {
  const moto = await resetMoto();
  const cfg = moto.clientConfig(REGION);
  const s3 = new S3Client(cfg);
  const dynamodb = new DynamoDBClient(cfg);
  const secrets = new SecretsManagerClient(cfg);
  const kms = new KMSClient(cfg);
  const bucket = `documents-${randomBytes(4).toString('hex')}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  const keyArn = (await kms.send(new CreateKeyCommand({ Description: 'data key' }))).KeyMetadata!.Arn!;
  const secretArn = (await secrets.send(new CreateSecretCommand({ Name: 'documents/signing', SecretString: JSON.stringify({ signingKey: randomBytes(32).toString('hex') }) }))).ARN!;
  const tableName = 'token-vault';
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'token', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'token', KeyType: 'HASH' }],
    }),
  );
  return { moto, s3, dynamodb, secrets, kms, bucket, keyArn, secretArn, tableName };
}

/** A database with the app role created exactly as the bootstrap creates it (rds_iam emulated by a plain role). */
export interface DbFixture {
  pg: Postgres;
  database: string;
  user: string;
  password: string;
  /** Superuser client on the fixture's database, to look at what the service stored. */
  admin(): Promise<Client>;
}

export async function dbFixture(): Promise<DbFixture> {
  const { pg, database } = await freshDatabase('documents');
  const user = `app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const admin = async () => {
    const c = new Client(pg.clientConfig(database));
    await c.connect();
    return c;
  };
  const c = await admin();
  try {
    await c.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam NOLOGIN; END IF; END $$`);
    for (const statement of bootstrapStatements({ database, user, iam: true })) await c.query(statement);
    // IAM is not available locally: the role also gets a password.
    await c.query(`ALTER ROLE ${c.escapeIdentifier(user)} PASSWORD ${c.escapeLiteral(password)}`);
  } finally {
    await c.end();
  }
  return { pg, database, user, password, admin };
}

export function env(aws: AwsFixture, db: DbFixture, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ENVIRONMENT_PROFILE: 'development',
    AWS_REGION: REGION,
    DB_HOST: db.pg.host,
    DB_PORT: String(db.pg.port),
    DB_NAME: db.database,
    DB_USER: db.user,
    DB_CA_FILE: db.pg.caFile,
    DB_AUTH: 'password',
    DB_PASSWORD: db.password,
    BUCKET_NAME: aws.bucket,
    BUCKET_PREFIX: 'app/',
    DATA_KEY_ARN: aws.keyArn,
    SIGNING_SECRET_ARN: aws.secretArn,
    TOKEN_TABLE_NAME: aws.tableName,
    DATA_CLASSIFICATION: 'confidential',
    AUTH_MODE: 'alb-oidc',
    ALB_ARN,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_ISSUER: ISSUER,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Everything the service writes to its log, one parsed line per entry. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/** A self-signed certificate for the service, made the way the fleet makes it at boot (openssl, ExecStartPre). */
export function serviceCertificate(): { certFile: string; keyFile: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'documents-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'pipe' });
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8') };
}

export interface Reply {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = unknown>(): T;
}

export interface Call {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: object | string | Buffer | Readable;
}

/** One HTTPS request to a listening service, trusting only its certificate. */
export function call(base: string, ca: string, c: Call): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...c.headers };
    let body: string | Buffer | Readable | undefined;
    if (c.payload instanceof Readable || typeof c.payload === 'string' || Buffer.isBuffer(c.payload)) body = c.payload;
    else if (c.payload !== undefined) {
      body = JSON.stringify(c.payload);
      headers['content-type'] ??= 'application/json';
    }
    if (typeof body === 'string' || Buffer.isBuffer(body)) headers['content-length'] = String(Buffer.byteLength(body));
    const req = httpsRequest(new URL(c.url, base), { method: c.method, headers, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: text, json: <T>() => JSON.parse(text) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

export interface TestService {
  app: FastifyInstance;
  config: ServiceConfig;
  pool: Pool;
  logs: LogCapture;
  url: string;
  inject(c: Call): Promise<Reply>;
}

export async function startService(
  aws: AwsFixture,
  db: DbFixture,
  options: { keys?: AlbKeyServer; env?: Record<string, string>; password?: PasswordProvider } = {},
): Promise<TestService> {
  const tls = serviceCertificate();
  const config = loadConfig(env(aws, db, { TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: tls.keyFile, ...options.env }));
  const logs = new LogCapture();
  const pool = createPool({ ...config.db, password: options.password ?? (async () => db.password), max: config.db.poolMax });
  const identity =
    config.auth.mode === 'alb-oidc'
      ? albIdentity({ ...config.auth, ...(options.keys ? { fetcher: options.keys.fetcher } : {}) })
      : config.auth.mode === 'local-dev'
        ? localDevIdentity()
        : noIdentity();
  await migrate(pool);
  const app = await buildApp({ config, pool, s3: aws.s3, dynamodb: aws.dynamodb, secrets: aws.secrets, identity, credentialsFresh: async () => true, logStream: logs });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `https://localhost:${(app.server.address() as AddressInfo).port}`;
  return { app, config, pool, logs, url, inject: (c) => call(url, tls.cert, c) };
}
