/** The names the statements are written for; each is a checked lower-case identifier. */
export interface GrantTarget {
  readonly database: string;
  readonly appUsername: string;
  readonly schema: string;
}

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * What the documents service may do in Aurora PostgreSQL, and nothing more:
 * log in only with an IAM token (`rds_iam`, no password), connect to its
 * database, create and use tables in its own schema (its migrations run at
 * start), and nothing in `public` or any other schema. The schema belongs to
 * the master user, so the service cannot drop it or grant it to others.
 * Every statement is safe to run again.
 */
export function grantStatements(t: GrantTarget): string[] {
  const role = quote(t.appUsername);
  const schema = quote(t.schema);
  const database = quote(t.database);
  return [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${literal(t.appUsername)}) THEN
         CREATE ROLE ${role} LOGIN;
       END IF;
     END $$`,
    `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD NULL`,
    `GRANT rds_iam TO ${role}`,
    // Only the roles granted it may connect; the owner (the master user) keeps its rights.
    `REVOKE ALL ON DATABASE ${database} FROM PUBLIC`,
    `GRANT CONNECT ON DATABASE ${database} TO ${role}`,
    // PostgreSQL 15 and later already withhold this; older engines do not.
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`,
    `GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${role}`,
    `ALTER ROLE ${role} IN DATABASE ${database} SET search_path = ${schema}`,
  ];
}

/**
 * pgaudit (DDL, role changes and writes, set by the cluster parameter group):
 * the `rds_pgaudit` role that `pgaudit.role` names for object auditing, and
 * the extension. The extension is created only once the library is loaded
 * (`shared_preload_libraries` is static, so an existing cluster loads it at its
 * next reboot; until then CREATE EXTENSION would fail the whole bootstrap).
 */
export function auditStatements(): string[] {
  return [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'rds_pgaudit') THEN
         CREATE ROLE rds_pgaudit NOLOGIN;
       END IF;
       IF current_setting('shared_preload_libraries') ~ '(^|,)\\s*pgaudit\\s*(,|$)' THEN
         CREATE EXTENSION IF NOT EXISTS pgaudit;
       END IF;
     END $$`,
  ];
}
