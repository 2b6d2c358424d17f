/**
 * `npm run bench:service [-- seconds connections rounds]`: requests per second and p99 latency of
 * the documents service (the bundle the fleet runs, over HTTPS, against a local TLS PostgreSQL
 * and moto) beside a bare Fastify route (same framework, same TLS, same machine, same run), for
 * GET and POST at fixed concurrency, and their ratio. The targets take turns over several rounds
 * and each figure is the median, so a load change on a shared machine hits both sides alike.
 * Results also go to .bench/service.json.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServiceBundle } from '../service/build';
import { call, localAws, localCertificate, localDatabase } from './service-local-stack';
import { freePort } from '../test/helpers/free-port';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 16);
const rounds = Number(process.argv[4] ?? 3);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};


/** The bare route: Fastify with the same TLS settings, answering from memory. */
async function serveBare(port: number, certFile: string, keyFile: string): Promise<void> {
  const app = Fastify({ https: { cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' } });
  app.get('/bare/:id', async (request) => ({ id: (request.params as { id: string }).id, title: 'bare', status: 'stored' }));
  app.post('/bare', async (_request, reply) => reply.code(201).send({ id: 'bare', status: 'pending' }));
  await app.listen({ port, host: '127.0.0.1' });
}


async function waitReady(url: string, ca: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if ((await call(url, ca, 'GET', {}).catch(() => undefined))?.status === 200) return;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${url} did not become ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Row {
  target: string;
  method: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(target: string, method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string, duration = seconds): Promise<Row> {
  const result = await autocannon({ url, method, headers, ...(body ? { body } : {}), connections, duration, pipelining: 1 });
  return { target, method, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function run(): Promise<void> {
  if (process.argv[2] === '--bare') return serveBare(Number(process.argv[3]), process.argv[4]!, process.argv[5]!);
  const [dbEnv, awsEnv, bundle] = await Promise.all([localDatabase(), localAws(), buildServiceBundle(mkdtempSync(join(tmpdir(), 'documents-bench-')))]);
  const tls = localCertificate();
  const ca = readFileSync(tls.TLS_CERT_FILE, 'utf8');
  const [servicePort, barePort] = await Promise.all([freePort(), freePort()]);
  const children: ChildProcess[] = [];
  try {
    const service = spawn(process.execPath, [bundle.file], {
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH,
        ...dbEnv,
        ...awsEnv,
        ...tls,
        PORT: String(servicePort),
        HOST: '127.0.0.1',
        ENVIRONMENT_PROFILE: 'development',
        AUTH_MODE: 'local-dev',
        DATA_CLASSIFICATION: 'confidential',
        RATE_LIMIT_PER_MINUTE: '1000000000',
        LOG_LEVEL: 'info',
      },
    });
    children.push(service);
    const bare = spawn(process.execPath, ['--import', 'tsx', __filename, '--bare', String(barePort), tls.TLS_CERT_FILE, tls.TLS_KEY_FILE], { stdio: 'ignore' });
    children.push(bare);
    const serviceBase = `https://localhost:${servicePort}`;
    const bareBase = `https://localhost:${barePort}`;
    await Promise.all([waitReady(`${serviceBase}/health/ready`, ca, service), waitReady(`${bareBase}/bare/x`, ca, bare)]);

    const user = { 'x-dev-user': 'bench' };
    const json = { ...user, 'content-type': 'application/json' };
    const created = await call(`${serviceBase}/documents`, ca, 'POST', json, JSON.stringify({ title: 'bench' }));
    const id = (JSON.parse(created.text) as { id: string }).id;
    await call(`${serviceBase}/documents/${id}/content`, ca, 'PUT', { ...user, 'content-type': 'text/plain' }, 'benchmark content');
    const body = JSON.stringify({ title: 'bench document' });

    const plan: [string, 'GET' | 'POST', string, Record<string, string>, string?][] = [
      ['bare route', 'GET', `${bareBase}/bare/${id}`, user],
      ['service GET /documents/:id', 'GET', `${serviceBase}/documents/${id}`, user],
      // The same service without a database round trip: what the plumbing (TLS, headers, hooks, rate limit, logs) costs.
      ['service GET /health/live', 'GET', `${serviceBase}/health/live`, user],
      ['bare route', 'POST', `${bareBase}/bare`, json, body],
      ['service POST /documents', 'POST', `${serviceBase}/documents`, json, body],
    ];
    // Warm-up, not counted: JIT, the pool's connections (TLS handshakes), the cached signing key.
    for (const [target, method, url, headers, payload] of plan) await load(target, method, url, headers, payload, 2);
    const samples: Row[][] = plan.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (const [i, [target, method, url, headers, payload]] of plan.entries()) samples[i]!.push(await load(target, method, url, headers, payload));
    }
    const rows: Row[] = samples.map((s) => ({
      target: s[0]!.target,
      method: s[0]!.method,
      requestsPerSecond: median(s.map((r) => r.requestsPerSecond)),
      p50: median(s.map((r) => r.p50)),
      p99: median(s.map((r) => r.p99)),
      non2xx: s.reduce((n, r) => n + r.non2xx, 0),
      errors: s.reduce((n, r) => n + r.errors, 0),
    }));

    console.log(`\n## documents service vs bare Fastify route (${connections} connections, median of ${rounds} interleaved rounds of ${seconds} s, HTTPS, same machine, same run)\n`);
    console.log('| target | method | req/s | p50 ms | p99 ms | non-2xx | errors |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) console.log(`| ${r.target} | ${r.method} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`);
    const ratio = (m: string) => rows.find((r) => r.method === m && r.target.startsWith('service'))!.requestsPerSecond / rows.find((r) => r.method === m && r.target === 'bare route')!.requestsPerSecond;
    console.log(`\nservice / bare route, req/s: GET ${ratio('GET').toFixed(2)} (goal ≥ 0.5), POST ${ratio('POST').toFixed(2)}; load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
    mkdirSync('.bench', { recursive: true });
    writeFileSync(join('.bench', 'service.json'), JSON.stringify({ seconds, connections, rounds, samples, rows, ratio: { GET: ratio('GET'), POST: ratio('POST') } }, null, 2));
    if (rows.some((r) => r.non2xx > 0 || r.errors > 0)) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

run().then(
  () => {
    if (process.argv[2] !== '--bare') process.exit(process.exitCode ?? 0);
  },
  (error: unknown) => {
    console.error(`bench:service failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
