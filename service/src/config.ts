import { z } from 'zod';

/**
 * The service's configuration, read once at start from the environment (the systemd
 * EnvironmentFile written by the fleet's user data). A bad value stops the start with one
 * line naming the variable and what is allowed.
 */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'critical'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8443),
  HOST: z.string().default('0.0.0.0'),
  TLS_CERT_FILE: optional,
  TLS_KEY_FILE: optional,
  ENVIRONMENT_PROFILE: z.enum(['development', 'production']),
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1'),
  DB_HOST: z.string().min(1),
  DB_PORT: z.coerce.number().int().min(1).max(65535).default(5432),
  DB_NAME: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a PostgreSQL identifier'),
  DB_USER: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a PostgreSQL identifier'),
  DB_CA_FILE: z.string().min(1, 'the CA bundle that signs the database certificate'),
  DB_AUTH: z.enum(['iam', 'password']).default('iam'),
  DB_PASSWORD: optional,
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  BUCKET_NAME: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
  BUCKET_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9!_.*'()-]+\/)*$/, 'an S3 key prefix ending with /')
    .default('app/'),
  DATA_KEY_ARN: z.string().regex(/^arn:aws[a-z-]*:kms:/, 'a KMS key ARN'),
  SIGNING_SECRET_ARN: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:/, 'a Secrets Manager secret ARN'),
  TOKEN_TABLE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name'),
  TOKEN_KEY_ARN: optional,
  DATA_CLASSIFICATION: z.enum(CLASSIFICATIONS),
  AUTH_MODE: z.enum(['alb-oidc', 'local-dev', 'none']),
  ALB_ARN: optional,
  OIDC_CLIENT_ID: optional,
  OIDC_ISSUER: optional,
  MAX_CONTENT_BYTES: z.coerce.number().int().min(1).max(5 * 1024 ** 3).default(25 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ServiceConfig {
  readonly port: number;
  readonly host: string;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly profile: 'development' | 'production';
  readonly region: string;
  readonly db: {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    readonly caFile: string;
    readonly auth: 'iam' | 'password';
    readonly password?: string;
    readonly poolMax: number;
  };
  readonly bucket: { readonly name: string; readonly prefix: string; readonly keyArn: string };
  readonly signingSecretArn: string;
  readonly tokenVault: { readonly tableName: string; readonly keyArn?: string };
  readonly classification: Classification;
  readonly auth:
    | { readonly mode: 'alb-oidc'; readonly albArn: string; readonly clientId: string; readonly issuer: string }
    | { readonly mode: 'local-dev' }
    /** No user authentication at the load balancer: health answers, every document request is refused. */
    | { readonly mode: 'none' };
  readonly maxContentBytes: number;
  readonly rateLimitPerMinute: number;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws ConfigError with a one-line message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = env[name];
    throw new ConfigError(`${name}: ${value === undefined ? 'is required' : 'is invalid'} (${issue.message})`);
  }
  const e = parsed.data;
  const production = e.ENVIRONMENT_PROFILE === 'production';
  const need = (name: keyof typeof e, why: string): string => {
    const value = e[name];
    if (typeof value !== 'string' || value === '') throw new ConfigError(`${name}: is required ${why}`);
    return value;
  };
  if (production && e.AUTH_MODE === 'local-dev') {
    throw new ConfigError('AUTH_MODE: local-dev is refused when ENVIRONMENT_PROFILE=production (allowed: alb-oidc)');
  }
  if (production && e.DB_AUTH === 'password') {
    throw new ConfigError('DB_AUTH: password is refused when ENVIRONMENT_PROFILE=production (allowed: iam)');
  }
  if (production) {
    need('TLS_CERT_FILE', 'in production');
  }
  if (e.DB_AUTH === 'password') need('DB_PASSWORD', 'when DB_AUTH=password');
  if ((e.TLS_CERT_FILE === undefined) !== (e.TLS_KEY_FILE === undefined)) {
    throw new ConfigError('TLS_KEY_FILE: TLS_CERT_FILE and TLS_KEY_FILE are set together or not at all');
  }
  const auth: ServiceConfig['auth'] =
    e.AUTH_MODE === 'alb-oidc'
      ? {
          mode: 'alb-oidc',
          albArn: need('ALB_ARN', 'when AUTH_MODE=alb-oidc'),
          clientId: need('OIDC_CLIENT_ID', 'when AUTH_MODE=alb-oidc'),
          issuer: need('OIDC_ISSUER', 'when AUTH_MODE=alb-oidc'),
        }
      : { mode: e.AUTH_MODE };
  return {
    port: e.PORT,
    host: e.HOST,
    ...(e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { tls: { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } } : {}),
    profile: e.ENVIRONMENT_PROFILE,
    region: e.AWS_REGION,
    db: {
      host: e.DB_HOST,
      port: e.DB_PORT,
      database: e.DB_NAME,
      user: e.DB_USER,
      caFile: e.DB_CA_FILE,
      auth: e.DB_AUTH,
      ...(e.DB_PASSWORD ? { password: e.DB_PASSWORD } : {}),
      poolMax: e.DB_POOL_MAX,
    },
    bucket: { name: e.BUCKET_NAME, prefix: e.BUCKET_PREFIX, keyArn: e.DATA_KEY_ARN },
    signingSecretArn: e.SIGNING_SECRET_ARN,
    tokenVault: { tableName: e.TOKEN_TABLE_NAME, ...(e.TOKEN_KEY_ARN ? { keyArn: e.TOKEN_KEY_ARN } : {}) },
    classification: e.DATA_CLASSIFICATION,
    auth,
    maxContentBytes: e.MAX_CONTENT_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
  };
}
