/**
 * What the database bootstrap (run once with the master secret) must create for the service:
 * the login role, IAM authentication, its own schema, and nothing else. The service then
 * creates and migrates its tables as the owner of that schema, so it needs no further grants
 * and no DDL rights anywhere else.
 */
export const APP_SCHEMA = 'app';

export interface BootstrapOptions {
  /** Database the service connects to (DB_NAME). */
  readonly database: string;
  /** Login role of the service (DB_USER). */
  readonly user: string;
  /** Schema the service owns; default `app`. */
  readonly schema?: string;
  /** Grant `rds_iam` (Aurora/RDS); false on a plain PostgreSQL such as the local one. */
  readonly iam: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function ident(name: string, field: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${field}: "${name}" is not a plain PostgreSQL identifier (letters, digits, _; at most 63)`);
  return `"${name}"`;
}

/**
 * The bootstrap statements, in order; every one is idempotent, so the custom resource can run
 * them on every deployment. Identifiers are validated, not interpolated from user input.
 */
export function bootstrapStatements(options: BootstrapOptions): string[] {
  const database = ident(options.database, 'database');
  const user = ident(options.user, 'user');
  const schema = ident(options.schema ?? APP_SCHEMA, 'schema');
  const userLiteral = `'${options.user}'`;
  return [
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${userLiteral}) THEN CREATE ROLE ${user} LOGIN; END IF; END $$`,
    `ALTER ROLE ${user} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 100`,
    ...(options.iam ? [`GRANT rds_iam TO ${user}`] : []),
    `REVOKE ALL ON DATABASE ${database} FROM PUBLIC`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${user}`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${user}`,
    `ALTER SCHEMA ${schema} OWNER TO ${user}`,
    `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`,
    `ALTER ROLE ${user} IN DATABASE ${database} SET search_path = ${schema}`,
  ];
}

/** The same statements as one SQL script, for a reviewer or a manual run with psql. */
export function bootstrapSql(options: BootstrapOptions): string {
  return bootstrapStatements(options).map((s) => `${s};`).join('\n') + '\n';
}
