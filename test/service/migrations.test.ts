import { Client } from 'pg';
import { bootstrapSql, bootstrapStatements } from '../../service/src/db/grants';
import { migrate, MIGRATIONS } from '../../service/src/db/migrations';
import { createPool, MAX_CONNECTION_LIFETIME_SECONDS, poolConfig } from '../../service/src/db/pool';
import { dbFixture, type DbFixture } from './support';

/** The bootstrap grants exactly what the migrations need, and both can run again and again. */
describe('database bootstrap and migrations', () => {
  let db: DbFixture;
  const appPool = () => createPool({ host: db.pg.host, port: db.pg.port, database: db.database, user: db.user, caFile: db.pg.caFile, password: async () => db.password, max: 2 });

  beforeAll(async () => {
    db = await dbFixture();
  });

  test('the bootstrap is idempotent', async () => {
    const admin = await db.admin();
    try {
      for (const statement of bootstrapStatements({ database: db.database, user: db.user, iam: true })) await admin.query(statement);
      const { rows } = await admin.query<{ owner: string }>("SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'app'");
      expect(rows[0]?.owner).toBe(db.user);
      const iam = await admin.query("SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = 'rds_iam' AND u.rolname = $1", [db.user]);
      expect(iam.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
  });

  test('refuses identifiers that are not plain names', () => {
    expect(() => bootstrapStatements({ database: 'db', user: 'app"; DROP', iam: false })).toThrow('user: "app"; DROP" is not a plain PostgreSQL identifier');
    expect(bootstrapSql({ database: 'workload', user: 'app', iam: true })).toContain('GRANT rds_iam TO "app";');
  });

  test('migrations run as the app role, concurrently and repeatedly, and apply once', async () => {
    const [a, b] = [appPool(), appPool()];
    try {
      const [first, second] = await Promise.all([migrate(a), migrate(b)]);
      expect([...first, ...second].sort()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(a)).toEqual([]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  test('the app role owns its tables and can create nothing outside its schema', async () => {
    const app = new Client({ ...db.pg.clientConfig(db.database), user: db.user, password: db.password });
    await app.connect();
    try {
      const { rows } = await app.query<{ tableowner: string }>("SELECT tableowner FROM pg_tables WHERE schemaname = 'app' AND tablename = 'documents'");
      expect(rows[0]?.tableowner).toBe(db.user);
      await expect(app.query('CREATE TABLE public.sneaky (x int)')).rejects.toThrow(/permission denied/);
      await expect(app.query('CREATE SCHEMA other')).rejects.toThrow(/permission denied/);
      await expect(app.query('CREATE DATABASE other')).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });

  test('the pool verifies TLS against the CA file and recycles connections before IAM tokens expire', () => {
    const config = poolConfig({ host: 'h', port: 5432, database: 'd', user: 'u', caFile: db.pg.caFile, password: async () => 'x' });
    expect(config.ssl).toMatchObject({ rejectUnauthorized: true });
    expect(MAX_CONNECTION_LIFETIME_SECONDS).toBeLessThan(900);
    expect(config.maxLifetimeSeconds).toBe(MAX_CONNECTION_LIFETIME_SECONDS);
    expect(config.max).toBeLessThanOrEqual(20);
    expect(typeof config.password).toBe('function');
  });
});
