import type { Pool } from 'pg';
import { APP_SCHEMA } from './grants';
import { inTransaction, withClient } from './retry';

/** A document's metadata row. `attributes` holds tokens in place of tokenized values. */
export interface DocumentRow {
  id: string;
  owner: string;
  title: string;
  attributes: Record<string, string>;
  classification: string;
  status: 'pending' | 'stored';
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  objectKey: string;
  createdAt: Date;
}

export interface ListPage {
  items: Pick<DocumentRow, 'id' | 'title' | 'status' | 'contentType' | 'sizeBytes' | 'createdAt'>[];
  next?: { createdAt: string; id: string };
}

const T = `${APP_SCHEMA}.documents`;
const COLUMNS = `id, owner, title, attributes, classification, status, content_type AS "contentType",
  size_bytes::float8 AS "sizeBytes", sha256, object_key AS "objectKey", created_at AS "createdAt"`;

/** Every query is parameterized and scoped to the owner: another owner's row is simply not found. */
export class DocumentStore {
  constructor(private readonly pool: Pool) {}

  async insert(row: Omit<DocumentRow, 'status' | 'contentType' | 'sizeBytes' | 'sha256' | 'createdAt'>): Promise<DocumentRow> {
    return withClient(this.pool, async (c) => {
      const { rows } = await c.query<DocumentRow>({
        name: 'documents-insert',
        text: `INSERT INTO ${T} (id, owner, title, attributes, classification, status, object_key)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6)
         ON CONFLICT (id) DO NOTHING
         RETURNING ${COLUMNS}`,
        values: [row.id, row.owner, row.title, JSON.stringify(row.attributes), row.classification, row.objectKey],
      });
      if (rows[0]) return rows[0];
      // Retried after the first attempt committed: return what that attempt stored.
      const found = await this.get(row.owner, row.id);
      if (!found) throw new Error('document id collision');
      return found;
    });
  }

  async get(owner: string, id: string): Promise<DocumentRow | undefined> {
    return withClient(this.pool, async (c) => {
      // Named: parsed and planned once per connection (the hottest statement).
      const { rows } = await c.query<DocumentRow>({ name: 'documents-get', text: `SELECT ${COLUMNS} FROM ${T} WHERE owner = $1 AND id = $2`, values: [owner, id] });
      return rows[0];
    });
  }

  async markStored(owner: string, id: string, content: { contentType: string; sizeBytes: number; sha256: string }): Promise<DocumentRow | undefined> {
    return withClient(this.pool, async (c) => {
      const { rows } = await c.query<DocumentRow>(
        `UPDATE ${T} SET status = 'stored', content_type = $3, size_bytes = $4, sha256 = $5, updated_at = now()
         WHERE owner = $1 AND id = $2 RETURNING ${COLUMNS}`,
        [owner, id, content.contentType, content.sizeBytes, content.sha256],
      );
      return rows[0];
    });
  }

  async list(owner: string, limit: number, after?: { createdAt: string; id: string }): Promise<ListPage> {
    return withClient(this.pool, async (c) => {
      const params: unknown[] = [owner, limit + 1];
      let where = 'owner = $1';
      if (after) {
        params.push(after.createdAt, after.id);
        where += ' AND (created_at, id) < ($3::timestamptz, $4::uuid)';
      }
      // The cursor keeps microseconds (a JS Date would drop them and skip rows created in the same millisecond).
      const { rows } = await c.query<ListPage['items'][number] & { cursorAt: string }>(
        `SELECT id, title, status, content_type AS "contentType", size_bytes::float8 AS "sizeBytes", created_at AS "createdAt",
                to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"
         FROM ${T} WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $2`,
        params,
      );
      const page = rows.slice(0, limit);
      const items = page.map((r) => ({ id: r.id, title: r.title, status: r.status, contentType: r.contentType, sizeBytes: r.sizeBytes, createdAt: r.createdAt }));
      const last = page[page.length - 1];
      return rows.length > limit && last ? { items, next: { createdAt: last.cursorAt, id: last.id } } : { items };
    });
  }

  async delete(owner: string, id: string): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      const { rowCount } = await c.query(`DELETE FROM ${T} WHERE owner = $1 AND id = $2`, [owner, id]);
      return (rowCount ?? 0) > 0;
    });
  }

  /** The database answers, over TLS. */
  async ready(): Promise<{ tls: boolean }> {
    return withClient(this.pool, async (c) => {
      const { rows } = await c.query<{ ssl: boolean | null }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return { tls: rows[0]?.ssl === true };
    });
  }
}
