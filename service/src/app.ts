import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { requireIdentity, type IdentityResolver } from './auth/identity';
import type { ServiceConfig } from './config';
import { DocumentStore } from './db/documents';
import { installErrorHandling } from './errors';
import { loggerOptions } from './logging';
import { documentRoutes, METADATA_BODY_LIMIT } from './routes/documents';
import { healthRoutes } from './routes/health';
import { SigningKey } from './secrets/signing-key';
import { ObjectStore } from './storage/objects';
import { TokenVault } from './tokenization/vault';

/** Everything the service talks to, created by the caller (main.ts, or a test against moto and a local PostgreSQL). */
export interface ServiceDeps {
  readonly config: ServiceConfig;
  readonly pool: Pool;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly secrets: SecretsManagerClient;
  readonly identity: IdentityResolver;
  /** True while the AWS credentials are valid for at least another minute. */
  readonly credentialsFresh: () => Promise<boolean>;
  /** Where logs go (default stdout). */
  readonly logStream?: NodeJS.WritableStream;
  readonly signingKey?: SigningKey;
}

export async function buildApp(deps: ServiceDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: loggerOptions(config.logLevel, deps.logStream),
    ...(config.tls ? { https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile), minVersion: 'TLSv1.2' as const } } : {}),
    bodyLimit: METADATA_BODY_LIMIT,
    // The load balancer's request id is not trusted as ours; every request gets a fresh one.
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    requestTimeout: 120_000,
    connectionTimeout: 130_000,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    // One line per request (on response) instead of two; see the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }) as unknown as FastifyInstance;

  installErrorHandling(app);
  app.addHook('onRequest', async (request) => {
    request.log.debug({ req: request }, 'request received');
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, res: reply, ms: Math.round(reply.elapsedTime * 10) / 10, user: request.identity ? 'verified' : 'none' }, 'request completed');
  });
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  requireIdentity(app, deps.identity);
  await app.register(rateLimit, {
    // After identity: keyed by the verified subject, so one user cannot exhaust another's quota.
    hook: 'preHandler',
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => request.identity?.sub ?? request.ip,
  });

  const store = new DocumentStore(deps.pool);
  const objects = new ObjectStore(deps.s3, config.bucket.name, config.bucket.prefix, config.bucket.keyArn);
  const vault = new TokenVault(deps.dynamodb, config.tokenVault.tableName);
  const signingKey = deps.signingKey ?? new SigningKey(deps.secrets, config.signingSecretArn);

  await app.register(healthRoutes, {
    database: async () => (await store.ready()).tls,
    bucket: async () => (await objects.ready(), true),
    credentials: deps.credentialsFresh,
  });
  await app.register(documentRoutes, { store, objects, vault, signingKey, classification: config.classification, maxContentBytes: config.maxContentBytes });
  app.addHook('onClose', async () => {
    await deps.pool.end();
  });
  return app;
}
