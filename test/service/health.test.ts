import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/app';

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilUp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

describe('the fleet health endpoint (service/health/server.py)', () => {
  let server: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn('python3', [join(REPO_ROOT, 'service', 'health', 'server.py')], { env: { ...process.env, APP_PORT: String(port), HEALTH_PATH: '/health' } });
    await waitUntilUp(`${base}/health`);
  });

  afterAll(() => {
    server.kill();
  });

  test('answers the health path with 200 and JSON', async () => {
    const response = await fetch(`${base}/health?probe=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('answers anything else with 404 and names no server software', async () => {
    const response = await fetch(`${base}/admin`);
    expect(response.status).toBe(404);
    expect(response.headers.get('server')).not.toMatch(/python|BaseHTTP/i);
  });
});
