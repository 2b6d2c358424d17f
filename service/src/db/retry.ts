import type { Pool, PoolClient } from 'pg';

/**
 * Errors that mean the connection, not the statement, failed: the server ended the session
 * (restart, failover, terminated backend), the socket broke, or a new connection could not
 * authenticate with credentials that have just been rotated. Such a statement is retried on a
 * fresh connection, at most twice: a session ended under it and a stale credential on the next
 * connection can come one after the other during a rotation.
 */
const MAX_ATTEMPTS = 3;
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '28P01']);

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_SQLSTATES.has(code) || ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code))) return true;
  return /Connection terminated|terminating connection|Client has encountered a connection error|connection timeout/i.test(error.message);
}

/**
 * Runs `work` with a client from the pool; when the connection fails underneath it, the broken
 * client is discarded and the work runs again on a new connection (up to MAX_ATTEMPTS). Only for idempotent work
 * or work inside one transaction (a failed transaction is rolled back by the server).
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: PoolClient | undefined;
    try {
      client = await pool.connect();
      const result = await work(client);
      client.release();
      return result;
    } catch (error) {
      const broken = isConnectionError(error);
      client?.release(broken ? (error as Error) : undefined);
      if (!broken || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** One transaction, retried on a connection failure. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!isConnectionError(error)) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
