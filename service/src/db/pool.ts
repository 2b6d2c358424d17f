import { readFileSync } from 'node:fs';
import { Pool, type PoolConfig } from 'pg';

/** A function that returns the password for the next new connection (an IAM token, or a fixed one in development). */
export type PasswordProvider = () => Promise<string>;

export interface PoolOptions {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** PEM file of the CA that signs the server certificate (the RDS bundle in AWS). */
  readonly caFile: string;
  readonly password: PasswordProvider;
  readonly max?: number;
}

/**
 * IAM tokens are valid for 15 minutes and only checked when a connection opens; recycling
 * connections after 10 minutes means no connection outlives the credentials that opened it by
 * much, and a rotated password or a revoked role takes effect within that window.
 */
export const MAX_CONNECTION_LIFETIME_SECONDS = 600;

export function poolConfig(options: PoolOptions): PoolConfig {
  return {
    host: options.host,
    port: options.port,
    database: options.database,
    user: options.user,
    // pg calls this for every new connection, so each one gets a fresh token.
    password: options.password,
    ssl: { ca: readFileSync(options.caFile, 'utf8'), rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    maxLifetimeSeconds: MAX_CONNECTION_LIFETIME_SECONDS,
    statement_timeout: 10_000,
    query_timeout: 15_000,
    application_name: 'documents-service',
    keepAlive: true,
  };
}

export function createPool(options: PoolOptions): Pool {
  const pool = new Pool(poolConfig(options));
  // An idle connection that the server closes must not crash the process; the pool drops it.
  pool.on('error', () => undefined);
  return pool;
}
