import type { ClientConfig } from 'pg';
import { auditStatements, grantStatements } from './grants';
import type { MasterCredentials } from './master-secret';
import type { BootstrapSettings } from './properties';

/** The part of a pg client the bootstrap uses. */
export interface SqlClient {
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

/** TLS that verifies the server against the given CA bundle and host name; never an unverified connection. */
export function connectionConfig(settings: BootstrapSettings, credentials: MasterCredentials, ca: string): ClientConfig {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: credentials.username,
    password: credentials.password,
    ssl: { ca, rejectUnauthorized: true, servername: settings.host },
    connectionTimeoutMillis: 10_000,
    statement_timeout: 30_000,
    application_name: 'db-bootstrap',
  };
}

/** Runs the grant and audit statements in one transaction: all of them apply, or none. */
export async function applyGrants(client: SqlClient, settings: BootstrapSettings): Promise<number> {
  const statements = [...grantStatements({ database: settings.database, appUsername: settings.appUsername, schema: settings.schema }), ...auditStatements()];
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
    return statements.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
