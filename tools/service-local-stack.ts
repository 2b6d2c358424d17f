/**
 * What the documents service needs, on this machine: used by `npm run service:dev` and the
 * service benchmark. Every process started here ends with the calling process.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:https';
import { join } from 'node:path';
import { Client } from 'pg';
import { bootstrapStatements } from '../service/src/db/grants';
import { moto } from '../test/helpers/moto';
import { startCluster } from '../test/helpers/postgres';

const REGION = 'eu-west-1';
/** A throwaway TLS PostgreSQL cluster with the `documents` database and the app role, bootstrapped as in AWS. */
export async function localDatabase(): Promise<Record<string, string>> {
  const cluster = await startCluster({ watchPid: process.pid });
  const admin = new Client({ host: cluster.host, port: cluster.port, user: 'postgres', password: cluster.password, database: 'postgres', ssl: { ca: readFileSync(cluster.caFile, 'utf8'), rejectUnauthorized: true } });
  await admin.connect();
  await admin.query('CREATE DATABASE documents');
  await admin.end();
  const db = new Client({ host: cluster.host, port: cluster.port, user: 'postgres', password: cluster.password, database: 'documents', ssl: { ca: readFileSync(cluster.caFile, 'utf8'), rejectUnauthorized: true } });
  await db.connect();
  const password = randomBytes(18).toString('base64url');
  for (const statement of bootstrapStatements({ database: 'documents', user: 'app', iam: false })) await db.query(statement);
  await db.query(`ALTER ROLE app PASSWORD ${db.escapeLiteral(password)}`);
  await db.end();
  return { DB_HOST: cluster.host, DB_PORT: String(cluster.port), DB_NAME: 'documents', DB_USER: 'app', DB_AUTH: 'password', DB_PASSWORD: password, DB_CA_FILE: cluster.caFile };
}

/** moto_server with the bucket, data key, signing secret and token vault the service expects. */
export async function localAws(): Promise<Record<string, string>> {
  const server = await moto();
  const cfg = server.clientConfig(REGION);
  const bucket = 'documents-local';
  await new S3Client(cfg).send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  const keyArn = (await new KMSClient(cfg).send(new CreateKeyCommand({ Description: 'documents data key (local)' }))).KeyMetadata!.Arn!;
  const secretArn = (await new SecretsManagerClient(cfg).send(new CreateSecretCommand({ Name: 'documents/signing', SecretString: JSON.stringify({ signingKey: randomBytes(32).toString('hex') }) }))).ARN!;
  await new DynamoDBClient(cfg).send(
    new CreateTableCommand({ TableName: 'token-vault', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'token', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'token', KeyType: 'HASH' }] }),
  );
  return {
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    BUCKET_NAME: bucket,
    DATA_KEY_ARN: keyArn,
    SIGNING_SECRET_ARN: secretArn,
    TOKEN_TABLE_NAME: 'token-vault',
  };
}

/** A self-signed certificate for localhost, made as the fleet makes its own at boot. */
export function localCertificate(): { TLS_CERT_FILE: string; TLS_KEY_FILE: string } {
  const dir = mkdtempSync(join(tmpdir(), 'documents-dev-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '7', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'pipe' });
  return { TLS_CERT_FILE: cert, TLS_KEY_FILE: key };
}

/** One HTTPS request to the local service, trusting its self-signed certificate. */
export function call(url: string, ca: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) }, ca }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
