import { Client } from 'pg';
import { PassThrough } from 'node:stream';
import { startAlbKeyServer, type AlbKeyServer, type SigningIdentity } from './alb-tokens';
import { awsFixture, dbFixture, startService, type AwsFixture, type DbFixture } from './support';

/** The service rides out what production throws at it: a database restart, a rotated credential, a shutdown. */
describe('documents service resilience', () => {
  let aws: AwsFixture;
  let db: DbFixture;
  let keys: AlbKeyServer;
  let alb: SigningIdentity;

  beforeAll(async () => {
    [aws, db, keys] = await Promise.all([awsFixture(), dbFixture(), startAlbKeyServer()]);
    alb = keys.addKey();
  });

  afterAll(async () => {
    await keys.close();
    db.pg.start();
  });

  const as = (sub: string) => ({ 'x-amzn-oidc-data': alb.token({ sub }) });

  test('readiness fails while the database is down and recovers when it is back', async () => {
    const service = await startService(aws, db, { keys });
    try {
      const ready = await service.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', bucket: 'ok', credentials: 'ok' } });

      db.pg.stop();
      const down = await service.inject({ method: 'GET', url: '/health/ready' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'not_ready', checks: { database: 'failing', bucket: 'ok', credentials: 'ok' } });
      expect((await service.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      const during = await service.inject({ method: 'GET', url: '/documents', headers: as('alice') });
      expect(during.statusCode).toBe(500);
      expect(during.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });

      db.pg.start();
      expect((await service.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
      expect((await service.inject({ method: 'GET', url: '/documents', headers: as('alice') })).statusCode).toBe(200);
    } finally {
      db.pg.start();
      await service.app.close();
    }
  });

  test('readiness names the bucket when it is unreachable', async () => {
    const service = await startService(aws, db, { keys, env: { BUCKET_NAME: 'no-such-bucket-here' } });
    try {
      const r = await service.inject({ method: 'GET', url: '/health/ready' });
      expect(r.statusCode).toBe(503);
      expect(r.json<{ checks: Record<string, string> }>().checks).toEqual({ database: 'ok', bucket: 'failing', credentials: 'ok' });
    } finally {
      await service.app.close();
    }
  });

  test('a password rotated under the running service is picked up with no failed request', async () => {
    let current = db.password;
    let previous: string | undefined;
    const issued: string[] = [];
    // Like a credential cache that has not caught up yet: right after the rotation it hands out the old
    // password once; the connection that gets it fails to authenticate and is retried with a fresh one.
    const service = await startService(aws, db, {
      keys,
      password: async () => {
        const value = previous ?? current;
        previous = undefined;
        issued.push(value);
        return value;
      },
    });
    const admin = await db.admin();
    try {
      // Warm the pool: several open connections authenticated with the old password.
      const warm = await Promise.all(Array.from({ length: 6 }, () => service.inject({ method: 'GET', url: '/documents', headers: as('alice') })));
      expect(warm.map((r) => r.statusCode)).toEqual(Array(6).fill(200));

      // Rotate (stands in for an IAM token expiring), then end every session that used the old one.
      const rotated = `${db.password}-rotated`;
      await admin.query(`ALTER ROLE ${admin.escapeIdentifier(db.user)} PASSWORD ${admin.escapeLiteral(rotated)}`);
      const issuedBefore = issued.length;
      previous = current;
      current = rotated;
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [db.user]);
      expect(killed.rowCount).toBeGreaterThan(0);

      const after = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 2 ? service.inject({ method: 'GET', url: '/documents', headers: as('alice') }) : service.inject({ method: 'POST', url: '/documents', headers: as('alice'), payload: { title: `after rotation ${i}` } }),
        ),
      );
      expect(after.map((r) => r.statusCode)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 ? 200 : 201)));
      // After the rotation: the stale password was handed out exactly once, and every request still succeeded.
      const sinceRotation = issued.slice(issuedBefore);
      expect(sinceRotation.filter((p) => p === db.password)).toHaveLength(1);
      expect(sinceRotation).toContain(rotated);
      // The old password is really dead.
      const stale = new Client({ ...db.pg.clientConfig(db.database), user: db.user, password: db.password });
      await expect(stale.connect()).rejects.toThrow(/password authentication failed/);
      db.password = rotated;
    } finally {
      await admin.end();
      await service.app.close();
    }
  });

  test('SIGTERM-style close drains an in-flight upload, then refuses new connections and closes the pool', async () => {
    const service = await startService(aws, db, { keys, env: { LOG_LEVEL: 'debug' } });
    const doc = (await service.inject({ method: 'POST', url: '/documents', headers: as('alice'), payload: { title: 'in flight' } })).json<{ id: string }>();
    const body = new PassThrough();
    const upload = service.inject({ method: 'PUT', url: `/documents/${doc.id}/content`, headers: { ...as('alice'), 'content-type': 'text/plain' }, payload: body });
    body.write('first half, ');
    // Close only once the server is handling the upload (its request log line is written).
    while (!service.logs.lines.some((l) => l.includes('request received') && l.includes(`/documents/${doc.id}/content`))) await new Promise((r) => setTimeout(r, 10));
    const closed = service.app.close();
    body.end('second half');
    const r = await upload;
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'stored', sizeBytes: 'first half, second half'.length });
    await closed;
    await expect(service.inject({ method: 'GET', url: '/health/live' })).rejects.toThrow(/ECONNREFUSED/);
    expect(service.pool.ended).toBe(true);
  });
});
