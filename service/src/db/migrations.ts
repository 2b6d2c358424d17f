import type { Pool } from 'pg';
import { APP_SCHEMA } from './grants';
import { withClient } from './retry';

/**
 * Schema changes, applied in order at start by the service itself as the owner of its schema.
 * Each instance of the fleet runs them; a transaction-scoped advisory lock makes the others wait
 * and then find nothing to do. Never edit an applied migration: add the next one.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'documents',
    sql: `
      CREATE TABLE ${APP_SCHEMA}.documents (
        id            uuid PRIMARY KEY,
        owner         text NOT NULL CHECK (length(owner) BETWEEN 1 AND 256),
        title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        attributes    jsonb NOT NULL DEFAULT '{}'::jsonb,
        classification text NOT NULL,
        status        text NOT NULL CHECK (status IN ('pending', 'stored')),
        content_type  text,
        size_bytes    bigint CHECK (size_bytes >= 0),
        sha256        text,
        object_key    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX documents_owner_created ON ${APP_SCHEMA}.documents (owner, created_at DESC, id DESC);
    `,
  },
];

/** An arbitrary constant naming this service's migration lock. */
const LOCK_KEY = 727_001;

export async function migrate(pool: Pool): Promise<number[]> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${APP_SCHEMA}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${APP_SCHEMA}.schema_migrations`);
      const done = new Set(rows.map((r) => r.version));
      const applied: number[] = [];
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await client.query(m.sql);
        await client.query(`INSERT INTO ${APP_SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        applied.push(m.version);
      }
      await client.query('COMMIT');
      return applied;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
