import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServiceBundle, RDS_CA_BUNDLE } from '../../service/build';
import { awsFixture, call, dbFixture, env, serviceCertificate, type AwsFixture, type DbFixture } from './support';

/** The artifact the fleet runs: one bundled file, started the way systemd starts it, over HTTPS. */
describe('service bundle (what the fleet installs)', () => {
  let aws: AwsFixture;
  let db: DbFixture;
  let bundle: { file: string; bytes: number; caFile: string };
  let tls: ReturnType<typeof serviceCertificate>;

  beforeAll(async () => {
    [aws, db, bundle] = await Promise.all([awsFixture(), dbFixture(), buildServiceBundle(mkdtempSync(join(tmpdir(), 'documents-bundle-')))]);
    tls = serviceCertificate();
  });

  const processEnv = (port: number, extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH,
    ...env(aws, db),
    PORT: String(port),
    HOST: '127.0.0.1',
    TLS_CERT_FILE: tls.certFile,
    TLS_KEY_FILE: tls.keyFile,
    AUTH_MODE: 'local-dev',
    AWS_ENDPOINT_URL: aws.moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    ...extra,
  });

  test('is one self-contained file with the pinned CA bundle beside it', () => {
    expect(bundle.bytes).toBeLessThan(5 * 1024 * 1024);
    expect(readFileSync(bundle.caFile)).toEqual(readFileSync(RDS_CA_BUNDLE));
    expect(createHash('sha256').update(readFileSync(bundle.file)).digest('hex')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('serves HTTPS, migrates, stores a document, logs JSON, and exits cleanly on SIGTERM', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child: ChildProcess = spawn(process.execPath, [bundle.file], { env: processEnv(port), stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const base = `https://localhost:${port}`;
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const r = await call(base, tls.cert, { method: 'GET', url: '/health/ready' }).catch(() => undefined);
        if (r?.statusCode === 200) break;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`service did not become ready:\n${out}\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const created = await call(base, tls.cert, { method: 'POST', url: '/documents', headers: { 'x-dev-user': 'alice' }, payload: { title: 'From the bundle' } });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: string }>().id;
      expect((await call(base, tls.cert, { method: 'PUT', url: `/documents/${id}/content`, headers: { 'x-dev-user': 'alice', 'content-type': 'text/plain' }, payload: 'bundled' })).statusCode).toBe(200);
      expect((await call(base, tls.cert, { method: 'GET', url: `/documents/${id}`, headers: { 'x-dev-user': 'bob' } })).statusCode).toBe(404);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    const lines = out.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(out).toContain('migrations done');
    expect(out).toContain('stopping: no new connections, draining in-flight requests');
    expect(out + err).not.toContain(db.password);
  });

  test('refuses to start with the local identity in production, in one line', () => {
    const r = spawnSync(process.execPath, [bundle.file], { env: processEnv(1, { ENVIRONMENT_PROFILE: 'production', DB_AUTH: 'iam' }), encoding: 'utf8', cwd: tmpdir() });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stderr).message).toBe('start refused: AUTH_MODE: local-dev is refused when ENVIRONMENT_PROFILE=production (allowed: alb-oidc)');
  });
});
