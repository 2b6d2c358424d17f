import { loadConfig } from '../../service/src/config';
import { ALB_ARN, CLIENT_ID, ISSUER, startAlbKeyServer, type AlbKeyServer, type SigningIdentity } from './alb-tokens';
import { awsFixture, dbFixture, env, startService, type AwsFixture, type DbFixture, type TestService } from './support';

/** Only a token signed by this load balancer, for this client and issuer, unexpired, gets in. */
describe('identity from the load balancer (x-amzn-oidc-data)', () => {
  let aws: AwsFixture;
  let db: DbFixture;
  let keys: AlbKeyServer;
  let alb: SigningIdentity;
  let service: TestService;

  beforeAll(async () => {
    [aws, db, keys] = await Promise.all([awsFixture(), dbFixture(), startAlbKeyServer()]);
    alb = keys.addKey();
    service = await startService(aws, db, { keys });
  });

  afterAll(async () => {
    await service.app.close();
    await keys.close();
  });

  const list = (headers: Record<string, string>) => service.inject({ method: 'GET', url: '/documents', headers });

  test('a valid token is accepted', async () => {
    expect((await list({ 'x-amzn-oidc-data': alb.token({ sub: 'alice' }) })).statusCode).toBe(200);
  });

  const refused: [string, () => Record<string, string>][] = [
    ['no token', () => ({})],
    ['an empty token', () => ({ 'x-amzn-oidc-data': '' })],
    ['garbage', () => ({ 'x-amzn-oidc-data': 'not.a.jwt' })],
    ['a token signed by an unpublished key (forged)', () => ({ 'x-amzn-oidc-data': keys.unpublishedKey().token({ sub: 'alice' }) })],
    ['a published key with a claim altered after signing', () => {
      const [h, , s] = alb.token({ sub: 'bob' }).split('.');
      const p = Buffer.from(JSON.stringify({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 60, iss: ISSUER })).toString('base64url');
      return { 'x-amzn-oidc-data': `${h}.${p}.${s}` };
    }],
    ['an expired token', () => ({ 'x-amzn-oidc-data': alb.token({ sub: 'alice' }, { exp: Math.floor(Date.now() / 1000) - 600 }) })],
    ['another load balancer as signer', () => ({ 'x-amzn-oidc-data': alb.token({ sub: 'alice' }, { signer: ALB_ARN.replace('50dc6c495c0c9188', '0000000000000000') }) })],
    ['another client', () => ({ 'x-amzn-oidc-data': alb.token({ sub: 'alice' }, { client: 'someone-else' }) })],
    ['another issuer', () => ({ 'x-amzn-oidc-data': alb.token({ sub: 'alice' }, { iss: 'https://evil.example.com' }, { iss: 'https://evil.example.com' }) })],
    ['an unsigned token (alg none)', () => {
      const [, p] = alb.token({ sub: 'alice' }).split('.');
      const h = Buffer.from(JSON.stringify({ alg: 'none', kid: alb.kid, signer: ALB_ARN, client: CLIENT_ID, iss: ISSUER })).toString('base64url');
      return { 'x-amzn-oidc-data': `${h}.${p}.` };
    }],
    ['a local development header', () => ({ 'x-dev-user': 'alice' })],
  ];

  test.each(refused)('%s is refused with 401', async (_name, headers) => {
    const r = await list(headers());
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({ error: { code: 'unauthenticated', message: 'a valid identity is required' } });
  });

  test('health endpoints need no identity (the target group calls them)', async () => {
    expect((await service.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  test('local development identity exists only behind AUTH_MODE=local-dev, and production refuses it', () => {
    const base = env(aws, db);
    expect(() => loadConfig({ ...base, AUTH_MODE: 'local-dev', ENVIRONMENT_PROFILE: 'production', DB_AUTH: 'iam' })).toThrow(
      'AUTH_MODE: local-dev is refused when ENVIRONMENT_PROFILE=production (allowed: alb-oidc)',
    );
    expect(loadConfig({ ...base, AUTH_MODE: 'local-dev' }).auth).toEqual({ mode: 'local-dev' });
  });
});

describe('identity is required on every route but health', () => {
  let aws: AwsFixture;
  let db: DbFixture;
  let keys: AlbKeyServer;
  let service: TestService;

  beforeAll(async () => {
    [aws, db, keys] = await Promise.all([awsFixture(), dbFixture(), startAlbKeyServer()]);
    service = await startService(aws, db, { keys });
  });

  afterAll(async () => {
    await service.app.close();
    await keys.close();
  });

  test.each(['/health/../documents', '/health/%2e%2e/documents', '/documents?x=/health/', '/health/live/../../documents', '/nope'])('%s without a token is refused or unknown', async (url) => {
    const r = await service.inject({ method: 'GET', url });
    expect([401, 404]).toContain(r.statusCode);
    expect(r.body).not.toContain('"items"');
  });
});

describe('a deployment without user authentication at the load balancer (AUTH_MODE=none)', () => {
  test('starts, answers health, and refuses every document request', async () => {
    const [aws, db, keys] = await Promise.all([awsFixture(), dbFixture(), startAlbKeyServer()]);
    const alb = keys.addKey();
    const service = await startService(aws, db, { env: { AUTH_MODE: 'none', ENVIRONMENT_PROFILE: 'development' } });
    try {
      expect(loadConfig({ ...env(aws, db), AUTH_MODE: 'none', ENVIRONMENT_PROFILE: 'production', DB_AUTH: 'iam', TLS_CERT_FILE: 'c', TLS_KEY_FILE: 'k' }).auth).toEqual({ mode: 'none' });
      expect((await service.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
      const attempts: Record<string, string>[] = [{}, { 'x-dev-user': 'alice' }, { 'x-amzn-oidc-data': alb.token({ sub: 'alice' }) }];
      for (const headers of attempts) {
        const r = await service.inject({ method: 'GET', url: '/documents', headers });
        expect(r.statusCode).toBe(401);
        expect(r.json()).toEqual({ error: { code: 'unauthenticated', message: 'user authentication is not configured for this deployment' } });
      }
    } finally {
      await service.app.close();
      await keys.close();
    }
  });
});
