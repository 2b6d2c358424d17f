import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientConfig } from 'pg';
import { freePort } from './free-port';

/**
 * A real PostgreSQL for tests: a throwaway cluster (initdb + pg_ctl from Debian's
 * package) on a free loopback port with TLS required, one per Jest worker, started
 * lazily by the first test file that asks and stopped when the worker exits. Test
 * files of one worker run one after another and share the cluster, so each file
 * creates its own database (`freshDatabase`).
 *
 * The server presents a certificate issued by a CA generated with the cluster; clients
 * verify it (`ssl.ca`, `rejectUnauthorized: true`), and pg_hba accepts only `hostssl`,
 * so a client that does not use TLS is refused.
 */
export interface Postgres {
  readonly host: string;
  readonly port: number;
  /** PEM of the CA that issued the server certificate. */
  readonly caFile: string;
  readonly superuser: { readonly user: string; readonly password: string };
  readonly dataDir: string;
  /** Connection settings for the superuser, TLS verified. */
  clientConfig(database?: string): ClientConfig;
  /** Stops the server (fast shutdown); `start()` brings the same cluster back. */
  stop(): void;
  start(): void;
  isRunning(): boolean;
}

interface ClusterState {
  host: string;
  port: number;
  caFile: string;
  password: string;
  dataDir: string;
  bin: string;
  uid?: number;
  gid?: number;
}

const stateFile = () => join(tmpdir(), `sra-workload-postgres-${process.pid}.json`);

/** The directory holding initdb and pg_ctl of the newest installed major version. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql); .ci/run installs it');
  versions.sort((a, b) => Number(b) - Number(a));
  return join(root, versions[0]!, 'bin');
}


/** initdb refuses to run as root: as root, the cluster runs as the package's `postgres` user. */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function run(state: Pick<ClusterState, 'uid' | 'gid'>, command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', uid: state.uid, gid: state.gid, cwd: tmpdir() });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** A CA and a server certificate for localhost/127.0.0.1 signed by it. */
function writeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const certFile = join(dir, 'server.pem');
  const ext = join(dir, 'server.ext');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '2', '-subj', '/CN=test postgres CA');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', '/CN=localhost');
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '2', '-extfile', ext);
  return { caFile, certFile, keyFile };
}

/** Creates and starts a cluster; the caller owns it. Used by the tests (one per worker) and by `npm run service:dev`. */
export async function startCluster(options: { watchPid?: number } = {}): Promise<ClusterState> {
  const bin = postgresBinDir();
  const owner = clusterOwner();
  const root = mkdtempSync(join(tmpdir(), 'sra-workload-pg-'));
  const dataDir = join(root, 'data');
  const tlsDir = join(root, 'tls');
  const password = randomBytes(18).toString('base64url');
  execFileSync('mkdir', ['-p', tlsDir]);
  const certs = writeCertificates(tlsDir);
  const pwfile = join(root, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) for (const path of [root, tlsDir, pwfile, certs.keyFile, certs.certFile, certs.caFile]) chownSync(path, owner.uid, owner.gid);
  chmodSync(certs.keyFile, 0o600);
  chmodSync(certs.caFile, 0o644);
  chmodSync(root, 0o755);
  run({ ...owner }, join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dataDir}'`,
      'ssl = on',
      `ssl_cert_file = '${certs.certFile}'`,
      `ssl_key_file = '${certs.keyFile}'`,
      `ssl_min_protocol_version = 'TLSv1.2'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 60',
      'shared_buffers = 32MB',
      '',
    ].join('\n'),
  );
  // TLS or nothing: only hostssl lines, so a plain-text client is refused.
  writeFileSync(join(dataDir, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 scram-sha-256\n');
  const state: ClusterState = { host: 'localhost', port, caFile: certs.caFile, password, dataDir, bin, ...owner };
  startServer(state);
  if (options.watchPid) watch(state, options.watchPid, root);
  return state;
}

function startServer(state: ClusterState): void {
  run(state, join(state.bin, 'pg_ctl'), ['-D', state.dataDir, '-l', join(state.dataDir, 'server.log'), '-w', '-t', '60', 'start']);
}

function stopServer(state: ClusterState): void {
  run(state, join(state.bin, 'pg_ctl'), ['-D', state.dataDir, '-m', 'fast', '-w', 'stop']);
}

/** A watchdog shell stops the cluster and removes its files when the watched process ends, however it ends. */
function watch(state: ClusterState, pid: number, root: string): void {
  const pgCtl = join(state.bin, 'pg_ctl');
  const script = `while [ -d /proc/${pid} ]; do sleep 1; done; "${pgCtl}" -D "${state.dataDir}" -m immediate stop >/dev/null 2>&1; rm -rf "${root}"`;
  const child = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true, uid: state.uid, gid: state.gid, cwd: tmpdir() });
  child.unref();
}

function handle(state: ClusterState): Postgres {
  const running = () => existsSync(join(state.dataDir, 'postmaster.pid'));
  return {
    host: state.host,
    port: state.port,
    caFile: state.caFile,
    dataDir: state.dataDir,
    superuser: { user: 'postgres', password: state.password },
    clientConfig: (database = 'postgres') => ({
      host: state.host,
      port: state.port,
      user: 'postgres',
      password: state.password,
      database,
      ssl: { ca: readFileSync(state.caFile, 'utf8'), rejectUnauthorized: true },
    }),
    stop: () => stopServer(state),
    start: () => {
      if (!running()) startServer(state);
    },
    isRunning: running,
  };
}

/** The worker's cluster, started on first use and stopped when the worker exits. */
export async function postgres(): Promise<Postgres> {
  if (existsSync(stateFile())) {
    const state = JSON.parse(readFileSync(stateFile(), 'utf8')) as ClusterState;
    if (existsSync(state.dataDir)) {
      const pg = handle(state);
      pg.start();
      return pg;
    }
  }
  const state = await startCluster({ watchPid: process.pid });
  writeFileSync(stateFile(), JSON.stringify(state));
  return handle(state);
}

/** A new, empty database on the worker's cluster, so test files do not see each other's tables. */
export async function freshDatabase(prefix = 'test'): Promise<{ pg: Postgres; database: string }> {
  const pg = await postgres();
  const { Client } = await import('pg');
  const database = `${prefix}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const client = new Client(pg.clientConfig());
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  return { pg, database };
}
