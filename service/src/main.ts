import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { buildApp } from './app';
import { albIdentity, localDevIdentity, noIdentity } from './auth/identity';
import { ConfigError, loadConfig, type ServiceConfig } from './config';
import { iamPassword } from './db/iam-password';
import { migrate } from './db/migrations';
import { createPool, type PasswordProvider } from './db/pool';

/** How long in-flight requests get to finish after SIGTERM (systemd's TimeoutStopSec must be longer). */
const DRAIN_MS = 20_000;

function passwordFor(config: ServiceConfig, s3: S3Client): PasswordProvider {
  if (config.db.auth === 'password') {
    const password = config.db.password!;
    return async () => password;
  }
  return iamPassword({ hostname: config.db.host, port: config.db.port, username: config.db.user, region: config.region, credentials: s3.config.credentials });
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  // AWS_ENDPOINT_URL (local run) is honoured by every SDK v3 client on its own.
  const s3 = new S3Client({ region: config.region, forcePathStyle: Boolean(env.AWS_ENDPOINT_URL) });
  const dynamodb = new DynamoDBClient({ region: config.region });
  const secrets = new SecretsManagerClient({ region: config.region });
  const pool = createPool({ ...config.db, password: passwordFor(config, s3), max: config.db.poolMax });
  const identity = config.auth.mode === 'alb-oidc' ? albIdentity(config.auth) : config.auth.mode === 'local-dev' ? localDevIdentity() : noIdentity();
  const credentialsFresh = async () => {
    const credentials = await s3.config.credentials();
    return !credentials.expiration || credentials.expiration.getTime() - Date.now() > 60_000;
  };

  const app = await buildApp({ config, pool, s3, dynamodb, secrets, identity, credentialsFresh });
  const applied = await migrate(pool);
  app.log.info({ applied, classification: config.classification, authMode: config.auth.mode, profile: config.profile }, 'migrations done');
  if (config.auth.mode === 'none') app.log.warn('AUTH_MODE=none: no user authentication at the load balancer; every document request is refused');
  if (config.auth.mode === 'local-dev') app.log.warn('AUTH_MODE=local-dev: callers name themselves in x-dev-user; never use outside development');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: no new connections, draining in-flight requests');
    const force = setTimeout(() => {
      app.log.error('drain timed out; exiting');
      process.exit(1);
    }, DRAIN_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // One line, no stack: a configuration error names the variable; anything else names its type.
    const message = error instanceof ConfigError ? error.message : `${error instanceof Error ? error.name : 'Error'}: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'documents', message: `start refused: ${message}` })}\n`);
    process.exit(1);
  });
}
