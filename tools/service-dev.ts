/**
 * `npm run service:dev [-- --smoke]`: the documents service on this machine, no AWS account.
 * Starts a throwaway PostgreSQL cluster with TLS (Debian's package), moto_server standing in for
 * S3, KMS, Secrets Manager and DynamoDB (bucket, data key, signing secret and token vault
 * created), then the service over HTTPS with a fresh self-signed certificate and the local
 * development identity (`x-dev-user` header). Everything is removed when the process ends.
 * `--smoke` creates, uploads, lists and downloads one document, then exits (0 when all worked).
 */
import { readFileSync } from 'node:fs';
import { main } from '../service/src/main';
import { call, localAws, localCertificate, localDatabase } from './service-local-stack';

const smoke = process.argv.includes('--smoke');


async function runSmoke(base: string, ca: string): Promise<void> {
  const h = { 'x-dev-user': 'alice' };
  const created = await call(`${base}/documents`, ca, 'POST', { ...h, 'content-type': 'application/json' }, JSON.stringify({ title: 'smoke', attributes: { nationalId: 'AB-123456' } }));
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  const id = (JSON.parse(created.text) as { id: string }).id;
  const put = await call(`${base}/documents/${id}/content`, ca, 'PUT', { ...h, 'content-type': 'text/plain' }, 'hello');
  if (put.status !== 200) throw new Error(`upload: ${put.status} ${put.text}`);
  const got = JSON.parse((await call(`${base}/documents/${id}`, ca, 'GET', h)).text) as { download: { url: string } };
  const content = await call(`${base}${got.download.url}`, ca, 'GET', h);
  if (content.text !== 'hello') throw new Error(`download: ${content.status}`);
  const list = await call(`${base}/documents`, ca, 'GET', h);
  if (list.status !== 200 || list.text.includes('AB-123456')) throw new Error(`list: ${list.status}`);
  process.stderr.write('smoke: create, upload, get, download and list all worked\n');
}

async function run(): Promise<void> {
  const port = process.env.PORT ?? '8443';
  const [dbEnv, awsEnv] = await Promise.all([localDatabase(), localAws()]);
  const tls = localCertificate();
  Object.assign(process.env, dbEnv, awsEnv, tls, {
    PORT: port,
    HOST: '127.0.0.1',
    ENVIRONMENT_PROFILE: 'development',
    AUTH_MODE: 'local-dev',
    DATA_CLASSIFICATION: process.env.DATA_CLASSIFICATION ?? 'confidential',
    LOG_LEVEL: process.env.LOG_LEVEL ?? (smoke ? 'warn' : 'info'),
  });
  await main(process.env);
  const base = `https://localhost:${port}`;
  process.stderr.write(
    [
      '',
      `documents service: ${base}  (PostgreSQL ${dbEnv.DB_HOST}:${dbEnv.DB_PORT} over TLS, AWS APIs from moto at ${awsEnv.AWS_ENDPOINT_URL})`,
      'try:',
      `  curl --cacert ${tls.TLS_CERT_FILE} -H 'x-dev-user: alice' -H 'content-type: application/json' -d '{"title":"hello","attributes":{"nationalId":"AB-123456"}}' ${base}/documents`,
      `  curl --cacert ${tls.TLS_CERT_FILE} -H 'x-dev-user: alice' -H 'content-type: text/plain' -X PUT --data-binary @README.md ${base}/documents/<id>/content`,
      `  curl --cacert ${tls.TLS_CERT_FILE} -H 'x-dev-user: alice' ${base}/documents`,
      `  curl --cacert ${tls.TLS_CERT_FILE} ${base}/health/ready`,
      'Ctrl-C stops everything and removes the cluster.',
      '',
    ].join('\n'),
  );
  if (smoke) {
    await runSmoke(base, readFileSync(tls.TLS_CERT_FILE, 'utf8'));
    process.kill(process.pid, 'SIGTERM');
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`service:dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
