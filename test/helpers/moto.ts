import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/**
 * moto_server for handler tests: real HTTP and real SDK v3 serialization, with
 * state that a test reads back. One server per Jest worker, started lazily by the
 * first test file of that worker that asks for it and stopped when the worker exits;
 * test files of one worker run one after another, so each file calls `resetMoto()`
 * in its `beforeAll` and owns the server while it runs.
 */
export interface Moto {
  readonly endpoint: string;
  /** Client settings for any AWS SDK v3 client: this endpoint, fixed test credentials, path-style S3. */
  clientConfig(region?: string): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    forcePathStyle: true;
    maxAttempts: number;
  };
}

/** moto's fixed account id. */
export const MOTO_ACCOUNT = '123456789012';

/** Where a worker records its server, so later test files of the same worker (each with fresh module state) reuse it. */
const stateFile = () => join(tmpdir(), `sra-workload-moto-${process.pid}.json`);

/** The moto_server executable: on PATH, or pyenv's shim (CI shells may not have the shims on PATH). */
export function motoExecutable(): string {
  const fromPath = (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'moto_server')).find((p) => existsSync(p));
  const shim = join(homedir(), '.pyenv', 'shims', 'moto_server');
  const found = fromPath ?? (existsSync(shim) ? shim : undefined);
  if (!found) throw new Error('moto_server is not installed (pip install "moto[server]"); .ci/run checks for it');
  return found;
}


async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    if (await answers(endpoint)) return;
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint} within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/`)).status < 500;
  } catch {
    return false;
  }
}

async function start(): Promise<string> {
  const port = await freePort();
  // A watchdog shell ends the server when this worker process ends, however the worker ends.
  const script = `"$0" -H 127.0.0.1 -p ${port} >/dev/null 2>&1 & m=$!; while kill -0 ${process.pid} 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 1; done; kill $m 2>/dev/null`;
  const child = spawn('sh', ['-c', script, motoExecutable()], { stdio: 'ignore', detached: true });
  child.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child);
  writeFileSync(stateFile(), JSON.stringify({ endpoint }));
  return endpoint;
}

/** The worker's moto_server, started on first use. */
export async function moto(): Promise<Moto> {
  let endpoint: string | undefined;
  if (existsSync(stateFile())) {
    const recorded = (JSON.parse(readFileSync(stateFile(), 'utf8')) as { endpoint: string }).endpoint;
    if (await answers(recorded)) endpoint = recorded;
  }
  endpoint ??= await start();
  return {
    endpoint,
    clientConfig: (region = 'eu-west-1') => ({
      endpoint: endpoint!,
      region,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      forcePathStyle: true,
      maxAttempts: 1,
    }),
  };
}

/** Empties every service's state, so a test file starts from a fresh account. */
export async function resetMoto(): Promise<Moto> {
  const server = await moto();
  const response = await fetch(`${server.endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
  return server;
}
