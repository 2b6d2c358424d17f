import { readFileSync } from 'node:fs';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { Client, type ClientConfig } from 'pg';
import { connectionConfig } from '../../../functions/db-bootstrap/bootstrap';
import { createOnEvent } from '../../../functions/db-bootstrap/on-event';
import { resetMoto } from '../../helpers/moto';
import { freshDatabase } from '../../helpers/postgres';

/** The worker's cluster as this file uses it: the superuser stands in for Aurora's master user. */
interface Server {
  readonly port: number;
  readonly ca: string;
  readonly user: string;
  readonly password: string;
  config(database: string): ClientConfig;
}

let DATABASE: string;
const ROLE = 'app';
const SCHEMA = 'app';

let server: Server;
let secrets: SecretsManagerClient;
let secretArn: string;
let onEvent: ReturnType<typeof createOnEvent>;

function event(requestType: 'Create' | 'Update' | 'Delete', overrides: Record<string, string> = {}): CdkCustomResourceEvent {
  const properties = { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider', MasterSecretArn: secretArn, Host: 'localhost', Port: String(server.port), DatabaseName: DATABASE, AppUsername: ROLE, Schema: SCHEMA, ...overrides };
  const common = { ServiceToken: properties.ServiceToken, ResponseURL: 'https://example.com', StackId: 'stack', RequestId: 'req', LogicalResourceId: 'Bootstrap', ResourceType: 'Custom::DatabaseBootstrap', ResourceProperties: properties };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' };
  if (requestType === 'Update') return { ...common, RequestType: 'Update', PhysicalResourceId: `localhost/${DATABASE}/${ROLE}`, OldResourceProperties: properties };
  return { ...common, RequestType: 'Delete', PhysicalResourceId: `localhost/${DATABASE}/${ROLE}` };
}

/** Runs `sql` as the superuser in the test database. */
async function asAdmin<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const client = new Client(server.config(DATABASE));
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs `sql` with the app role's privileges (SET ROLE drops the superuser's); resolves to the error message, or 'ok'. */
async function asApp(sql: string): Promise<string> {
  const client = new Client(server.config(DATABASE));
  await client.connect();
  try {
    await client.query(`SET ROLE ${ROLE}`);
    await client.query(`SET search_path = ${SCHEMA}`);
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const moto = await resetMoto();
  const fresh = await freshDatabase('bootstrap');
  DATABASE = fresh.database;
  server = { port: fresh.pg.port, ca: readFileSync(fresh.pg.caFile, 'utf8'), user: fresh.pg.superuser.user, password: fresh.pg.superuser.password, config: (database) => fresh.pg.clientConfig(database) };
  // Aurora provides rds_iam; a plain PostgreSQL needs a stand-in.
  const admin = new Client(server.config('postgres'));
  await admin.connect();
  await admin.query(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam; END IF; END $$`);
  await admin.query(`DROP ROLE IF EXISTS ${ROLE}`).catch(() => undefined);
  await admin.end();
  await asAdmin(`CREATE SCHEMA other; CREATE TABLE other.secrets (v text); INSERT INTO other.secrets VALUES ('x'); CREATE TABLE public.existing (v text)`);

  secrets = new SecretsManagerClient(moto.clientConfig());
  const created = await secrets.send(new CreateSecretCommand({ Name: 'master', SecretString: JSON.stringify({ username: server.user, password: server.password, engine: 'postgres' }) }));
  secretArn = created.ARN!;
  onEvent = createOnEvent(secrets, (settings, credentials) => new Client(connectionConfig(settings, credentials, server.ca)), new Logger({ logLevel: 'SILENT' }));
});

afterAll(async () => {
  await asAdmin(`DROP OWNED BY ${ROLE} CASCADE`).catch(() => undefined);
});

describe('database bootstrap against PostgreSQL', () => {
  test('Create makes the app role with rds_iam, no password and no special attributes', async () => {
    await expect(onEvent(event('Create'))).resolves.toEqual({ PhysicalResourceId: `localhost/${DATABASE}/${ROLE}`, Data: { Role: ROLE, Schema: SCHEMA } });
    const [role] = await asAdmin<Record<string, unknown>>(
      `SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolpassword IS NULL AS nopassword,
              pg_has_role('${ROLE}', 'rds_iam', 'MEMBER') AS iam
       FROM pg_authid WHERE rolname = '${ROLE}'`,
    );
    expect(role).toEqual({ rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false, nopassword: true, iam: true });
  });

  test('Create makes the rds_pgaudit role for object auditing, and leaves the extension until the library is preloaded', async () => {
    await onEvent(event('Create'));
    const [audit] = await asAdmin<Record<string, unknown>>(`SELECT rolcanlogin FROM pg_roles WHERE rolname = 'rds_pgaudit'`);
    expect(audit).toEqual({ rolcanlogin: false });
    // This server does not preload pgaudit (as an existing cluster before its reboot): no CREATE EXTENSION, no failure.
    const [preload] = await asAdmin<{ libs: string }>(`SELECT current_setting('shared_preload_libraries') AS libs`);
    expect(preload!.libs).not.toMatch(/pgaudit/);
    expect(await asAdmin(`SELECT extname FROM pg_extension WHERE extname = 'pgaudit'`)).toEqual([]);
  });

  test('running Create and Update again changes nothing and fails nothing (idempotent)', async () => {
    const before = await asAdmin(`SELECT nspname, nspacl::text FROM pg_namespace ORDER BY nspname`);
    await expect(onEvent(event('Create'))).resolves.toBeDefined();
    await expect(onEvent(event('Update'))).resolves.toBeDefined();
    expect(await asAdmin(`SELECT nspname, nspacl::text FROM pg_namespace ORDER BY nspname`)).toEqual(before);
    expect(await asAdmin(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = '${ROLE}'`)).toEqual([{ n: 1 }]);
  });

  test('re-applying restores a grant taken away and removes a password set by hand', async () => {
    await asAdmin(`REVOKE CREATE ON SCHEMA ${SCHEMA} FROM ${ROLE}; ALTER ROLE ${ROLE} PASSWORD 'by-hand'`);
    await onEvent(event('Update'));
    expect(await asAdmin(`SELECT has_schema_privilege('${ROLE}', '${SCHEMA}', 'CREATE') AS c, (SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = '${ROLE}') AS p`)).toEqual([{ c: true, p: true }]);
  });

  test('the app role may create, fill, read and index tables in its schema (its migrations)', async () => {
    expect(await asApp(`CREATE TABLE IF NOT EXISTS documents (id uuid PRIMARY KEY, owner text NOT NULL)`)).toBe('ok');
    expect(await asApp(`INSERT INTO documents VALUES ('00000000-0000-0000-0000-000000000001', 'a')`)).toBe('ok');
    expect(await asApp(`SELECT * FROM documents`)).toBe('ok');
    expect(await asApp(`CREATE INDEX IF NOT EXISTS documents_owner ON documents (owner)`)).toBe('ok');
  });

  test.each([
    ['create a table in public', 'CREATE TABLE public.sneaky (v text)', /permission denied for schema public/],
    ['read another schema', 'SELECT * FROM other.secrets', /permission denied for schema other/],
    ['read a table of public it was not granted', 'SELECT * FROM public.existing', /permission denied for table existing/],
    ['create a schema', 'CREATE SCHEMA mine', /permission denied for database/],
    ['drop its schema (owned by the master user)', `DROP SCHEMA ${SCHEMA} CASCADE`, /must be owner of schema/],
    ['create a role', 'CREATE ROLE intruder', /permission denied to create role/],
    ['make itself a superuser', `ALTER ROLE ${ROLE} SUPERUSER`, /must be superuser|permission denied/],
  ])('the app role may not %s', async (_what, sql, error) => {
    expect(await asApp(sql)).toMatch(error);
  });

  test('the app role cannot pass its schema on: a GRANT it issues gives nobody anything', async () => {
    await asApp(`GRANT USAGE ON SCHEMA ${SCHEMA} TO PUBLIC`);
    await asAdmin(`DROP ROLE IF EXISTS bystander; CREATE ROLE bystander`);
    expect(await asAdmin(`SELECT has_schema_privilege('bystander', '${SCHEMA}', 'USAGE') AS u`)).toEqual([{ u: false }]);
  });

  test('other roles may not connect to the database, and the app role may not make temporary tables', async () => {
    await asAdmin(`DROP ROLE IF EXISTS bystander; CREATE ROLE bystander LOGIN`);
    expect(await asAdmin(`SELECT has_database_privilege('bystander', '${DATABASE}', 'CONNECT') AS c`)).toEqual([{ c: false }]);
    expect(await asAdmin(`SELECT has_database_privilege('${ROLE}', '${DATABASE}', 'CONNECT') AS app, has_database_privilege('${ROLE}', '${DATABASE}', 'TEMPORARY') AS temp`)).toEqual([{ app: true, temp: false }]);
  });

  test('Delete leaves the role, its schema and the data in place', async () => {
    await expect(onEvent(event('Delete'))).resolves.toEqual({ PhysicalResourceId: `localhost/${DATABASE}/${ROLE}` });
    expect(await asAdmin(`SELECT (SELECT count(*)::int FROM pg_roles WHERE rolname = '${ROLE}') AS roles, (SELECT count(*)::int FROM ${SCHEMA}.documents) AS rows`)).toEqual([{ roles: 1, rows: 1 }]);
  });

  test('a server certificate that does not verify is refused: no unverified connection', async () => {
    const untrusted = createOnEvent(secrets, (settings, credentials) => new Client(connectionConfig(settings, credentials, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')), new Logger({ logLevel: 'SILENT' }));
    await expect(untrusted(event('Update'))).rejects.toThrow();
    const wrongName = createOnEvent(secrets, (settings, credentials) => new Client({ ...connectionConfig(settings, credentials, server.ca), host: '127.0.0.1', ssl: { ca: server.ca, rejectUnauthorized: true, servername: 'db.example.com' } }), new Logger({ logLevel: 'SILENT' }));
    await expect(wrongName(event('Update'))).rejects.toThrow(/altnames|does not match|Hostname/i);
  });

  test('a failing statement rolls every statement of the run back', async () => {
    // The role is created first; the reserved schema name fails a later statement.
    await expect(onEvent(event('Update', { AppUsername: 'rollback_probe', Schema: 'pg_probe' }))).rejects.toThrow(/reserved|unacceptable schema name/);
    expect(await asAdmin(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'rollback_probe'`)).toEqual([{ n: 0 }]);
  });

  test('a database that does not exist fails the request', async () => {
    await expect(onEvent(event('Update', { DatabaseName: 'no_such_database' }))).rejects.toThrow(/does not exist/);
  });

  test('a master secret without a password is refused with a clear message', async () => {
    const bad = await secrets.send(new CreateSecretCommand({ Name: 'bad-master', SecretString: JSON.stringify({ username: 'x' }) }));
    await expect(onEvent(event('Update', { MasterSecretArn: bad.ARN! }))).rejects.toThrow(/lacks username or password/);
    const notJson = await secrets.send(new CreateSecretCommand({ Name: 'not-json', SecretString: 'plain' }));
    await expect(onEvent(event('Update', { MasterSecretArn: notJson.ARN! }))).rejects.toThrow(/does not hold JSON/);
  });
});
