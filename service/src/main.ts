// Stand-in entry of the documents service: serves the health endpoints over HTTPS with the
// runtime contract's settings, until the service itself (its own main.ts) takes this path.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const port = Number(process.env.PORT ?? '8443');
const server = createServer({ cert: readFileSync(process.env.TLS_CERT_FILE ?? ''), key: readFileSync(process.env.TLS_KEY_FILE ?? '') }, (request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  const known = path === '/health/live' || path === '/health/ready';
  response.writeHead(known ? 200 : 404, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(known ? { status: 'ok' } : { error: 'not found' }));
});
server.listen(port, () => process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'listening', port })}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
