import { loadConfig } from '../../service/src/config';

const valid: NodeJS.ProcessEnv = {
  ENVIRONMENT_PROFILE: 'production',
  AWS_REGION: 'eu-west-1',
  TLS_CERT_FILE: '/run/documents/tls/cert.pem',
  TLS_KEY_FILE: '/run/documents/tls/key.pem',
  DB_HOST: 'cluster.cluster-abc.eu-west-1.rds.amazonaws.com',
  DB_NAME: 'workload',
  DB_USER: 'app',
  DB_CA_FILE: '/opt/documents/rds-global-bundle.pem',
  BUCKET_NAME: 'workload-data',
  DATA_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:documents-signing-AbCdEf',
  TOKEN_TABLE_NAME: 'workload-token-vault',
  DATA_CLASSIFICATION: 'confidential',
  AUTH_MODE: 'alb-oidc',
  ALB_ARN: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/workload/50dc6c495c0c9188',
  OIDC_CLIENT_ID: 'client',
  OIDC_ISSUER: 'https://idp.example.com',
};

describe('service configuration from the environment', () => {
  test('production defaults: port 8443, IAM database auth, prefix app/', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(8443);
    expect(config.db).toMatchObject({ auth: 'iam', port: 5432, caFile: '/opt/documents/rds-global-bundle.pem' });
    expect(config.bucket.prefix).toBe('app/');
  });

  test.each([
    [{ DB_AUTH: 'password', DB_PASSWORD: 'x' }, 'DB_AUTH: password is refused when ENVIRONMENT_PROFILE=production (allowed: iam)'],
    [{ AUTH_MODE: 'local-dev' }, 'AUTH_MODE: local-dev is refused when ENVIRONMENT_PROFILE=production (allowed: alb-oidc)'],
    [{ TLS_CERT_FILE: '' , TLS_KEY_FILE: '' }, 'TLS_CERT_FILE: is required in production'],
    [{ DB_CA_FILE: undefined }, 'DB_CA_FILE: is required'],
    [{ ALB_ARN: undefined }, 'ALB_ARN: is required when AUTH_MODE=alb-oidc'],
    [{ DATA_CLASSIFICATION: 'secret' }, 'DATA_CLASSIFICATION: is invalid'],
    [{ DB_USER: 'app; DROP ROLE x' }, 'DB_USER: is invalid (a PostgreSQL identifier)'],
    [{ BUCKET_PREFIX: '../etc' }, 'BUCKET_PREFIX: is invalid'],
    [{ PORT: '70000' }, 'PORT: is invalid'],
  ])('refuses %p with one line naming the variable', (change, message) => {
    let error: Error | undefined;
    try {
      loadConfig({ ...valid, ...change });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain('\n');
  });

  test('development may use a password for the database', () => {
    expect(loadConfig({ ...valid, ENVIRONMENT_PROFILE: 'development', DB_AUTH: 'password', DB_PASSWORD: 'pw' }).db.auth).toBe('password');
    expect(() => loadConfig({ ...valid, ENVIRONMENT_PROFILE: 'development', DB_AUTH: 'password' })).toThrow('DB_PASSWORD: is required when DB_AUTH=password');
  });
});
