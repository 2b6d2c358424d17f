import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client, type ClientConfig } from 'pg';

/**
 * A real PostgreSQL server for tests, with TLS on (a CA of its own, so clients
 * verify the server as they do against RDS) and password authentication. One
 * server per Jest worker, started lazily and stopped when the worker exits, as
 * with moto_server; each test file works in a database of its own (`freshDatabase`).
 */
export interface Postgres {
  readonly host: 'localhost';
  readonly port: number;
  /** PEM of the CA that signed the server certificate. */
  readonly ca: string;
  /** A superuser, standing in for Aurora's master user. */
  readonly user: string;
  readonly password: string;
  /** Client settings for `database` as the superuser, verifying the server certificate. */
  config(database: string): ClientConfig;
}

const SUPERUSER = 'sra_admin';
const stateFile = () => join(tmpdir(), `sra-workload-postgres-${process.pid}.json`);

/** The server binaries: Debian's packages install them under /usr/lib/postgresql/<major>/bin. */
export function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const major = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)).find((v) => existsSync(join(root, v, 'bin', 'postgres'))) : undefined;
  if (!major) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql); .ci/run installs it');
  return join(root, major, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A CA and a server certificate for localhost, made with openssl. */
function certificates(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=sra-test-ca', '-keyout', 'ca.key', '-out', 'ca.pem');
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.pem');
}

async function start(): Promise<{ port: number; dir: string; password: string }> {
  const bin = postgresBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'sra-postgres-'));
  const data = join(dir, 'data');
  const password = `pw${process.pid}${Date.now()}`;
  // PostgreSQL refuses to run as root; the Debian package's postgres user runs it then.
  const asRoot = userInfo().uid === 0;
  const run = (command: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]) as [string, string[]];
  certificates(dir);
  writeFileSync(join(dir, 'pwfile'), `${password}\n`);
  mkdirSync(data, { mode: 0o700 });
  if (asRoot) {
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const postgresGid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    for (const file of ['', 'data', 'pwfile', 'server.key', 'server.pem', 'ca.pem']) chownSync(join(dir, file), postgresUid, postgresGid);
  }
  chmodSync(join(dir, 'server.key'), 0o600);
  chmodSync(dir, 0o755);
  execFileSync(...run(join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--pwfile', join(dir, 'pwfile'), '--auth', 'scram-sha-256', '-E', 'UTF8', '--no-sync']), { stdio: 'ignore' });
  // TLS only: a plain connection is refused, as Aurora with rds.force_ssl refuses it.
  writeFileSync(join(data, 'pg_hba.conf'), 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n');
  const port = await freePort();
  const settings = ['ssl=on', `ssl_cert_file=${join(dir, 'server.pem')}`, `ssl_key_file=${join(dir, 'server.key')}`, 'listen_addresses=localhost', `unix_socket_directories=${dir}`, 'fsync=off'];
  const [command, args] = run(join(bin, 'postgres'), ['-D', data, '-p', String(port), ...settings.flatMap((setting) => ['-c', setting])]);
  // A watchdog shell ends the server when this worker process ends, however the worker ends.
  const script = `"$@" >'${dir}/log' 2>&1 & m=$!; while kill -0 ${process.pid} 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 1; done; kill $m 2>/dev/null`;
  const child = spawn('sh', ['-c', script, 'sh', command, ...args], { stdio: 'ignore', detached: true });
  child.unref();
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await answers({ port, ca: readFileSync(join(dir, 'ca.pem'), 'utf8'), password })) break;
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not start on port ${port} within 30 s: ${existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, dir, password };
}

function clientConfig(port: number, ca: string, password: string, database: string): ClientConfig {
  return { host: 'localhost', port, user: SUPERUSER, password, database, ssl: { ca, rejectUnauthorized: true, servername: 'localhost' }, connectionTimeoutMillis: 5_000 };
}

async function answers({ port, ca, password }: { port: number; ca: string; password: string }): Promise<boolean> {
  const client = new Client(clientConfig(port, ca, password, 'postgres'));
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The worker's PostgreSQL server, started on first use. */
export async function postgres(): Promise<Postgres> {
  let state: { port: number; dir: string; password: string } | undefined;
  if (existsSync(stateFile())) {
    const recorded = JSON.parse(readFileSync(stateFile(), 'utf8')) as { port: number; dir: string; password: string };
    if (await answers({ ...recorded, ca: readFileSync(join(recorded.dir, 'ca.pem'), 'utf8') })) state = recorded;
  }
  if (!state) {
    state = await start();
    writeFileSync(stateFile(), JSON.stringify(state));
  }
  const { port, dir, password } = state;
  const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
  return { host: 'localhost', port, ca, user: SUPERUSER, password, config: (database) => clientConfig(port, ca, password, database) };
}

/** Creates an empty database (dropping one of that name first) and returns the server. */
export async function freshDatabase(name: string): Promise<Postgres> {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name must be a lower-case identifier (got ${name})`);
  const server = await postgres();
  const admin = new Client(server.config('postgres'));
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return server;
}
