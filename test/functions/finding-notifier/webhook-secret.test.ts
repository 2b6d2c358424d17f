import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DEFAULT_SECRET_TTL_MS,
  createWebhookSecretCache,
  parseWebhookSecret,
  redact,
} from '../../../functions/finding-notifier/webhook-secret';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:finding-notifier/webhook-AbCdEf';
const URL_VALUE = 'https://hooks.example.com/services/T0AAAAAAA/B0BBBBBBB/q1w2e3r4t5y6u7i8o9p0';
const AUTH = 'Bearer tok_9f8e7d6c5b4a39281706';

describe('parseWebhookSecret', () => {
  test('url only', () => {
    expect(parseWebhookSecret(JSON.stringify({ url: URL_VALUE }), ARN)).toEqual({ url: URL_VALUE });
  });

  test('url and authorization', () => {
    expect(parseWebhookSecret(JSON.stringify({ url: URL_VALUE, authorization: AUTH }), ARN)).toEqual({ url: URL_VALUE, authorization: AUTH });
  });

  test('http is refused with a message that explains, names the secret and does not quote the URL', () => {
    const insecure = 'http://hooks.example.com/services/T0AAAAAAA/B0BBBBBBB/q1w2e3r4t5y6u7i8o9p0';
    const parse = () => parseWebhookSecret(JSON.stringify({ url: insecure }), ARN);
    expect(parse).toThrow(`Webhook secret ${ARN} has a "url" with scheme http; only https is allowed`);
    expect(() => parse()).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hooks.example.com') }));
  });

  test.each([
    ['not JSON', 'https://hooks.example.com/q1w2e3r4t5y6u7i8o9p0', 'is not valid JSON'],
    ['a JSON string', JSON.stringify('https://hooks.example.com/q1w2e3r4t5y6u7i8o9p0'), 'is not a JSON object'],
    ['a JSON array', JSON.stringify(['https://hooks.example.com/q1w2e3r4t5y6u7i8o9p0']), 'is not a JSON object'],
    ['without url', JSON.stringify({ authorization: 'Bearer q1w2e3r4t5y6u7i8o9p0' }), 'has no "url" string'],
    ['with a relative url', JSON.stringify({ url: '/q1w2e3r4t5y6u7i8o9p0' }), 'has a "url" that is not an absolute URL'],
    ['with ftp', JSON.stringify({ url: 'ftp://hooks.example.com/q1w2e3r4t5y6u7i8o9p0' }), 'scheme ftp; only https is allowed'],
    ['with a numeric authorization', JSON.stringify({ url: URL_VALUE, authorization: 42 }), '"authorization" that is not a non-empty single-line string'],
    ['with an empty authorization', JSON.stringify({ url: URL_VALUE, authorization: ' ' }), '"authorization" that is not a non-empty single-line string'],
    [
      'with a header-injecting authorization',
      JSON.stringify({ url: URL_VALUE, authorization: 'Bearer q1w2e3r4t5y6u7i8o9p0\r\nX-Evil: 1' }),
      '"authorization" that is not a non-empty single-line string',
    ],
  ])('a secret %s is refused without quoting it', (_label, secretString, message) => {
    let thrown: unknown;
    try {
      parseWebhookSecret(secretString, ARN);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toContain(message);
    expect((thrown as Error).message).toContain(ARN);
    expect((thrown as Error).message).not.toContain('q1w2e3r4t5y6u7i8o9p0');
  });
});

describe('createWebhookSecretCache', () => {
  const sm = mockClient(SecretsManagerClient);
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const cache = () => createWebhookSecretCache({ client: new SecretsManagerClient({ region: 'eu-west-1' }), secretArn: ARN, now });

  beforeEach(() => {
    sm.reset();
    clock = 1_700_000_000_000;
    sm.on(GetSecretValueCommand).resolves({ ARN, SecretString: JSON.stringify({ url: URL_VALUE, authorization: AUTH }) });
  });

  test('reads the secret by ARN and caches it for the TTL', async () => {
    const secret = cache();
    await expect(secret.get()).resolves.toEqual({ url: URL_VALUE, authorization: AUTH });
    clock += DEFAULT_SECRET_TTL_MS - 1;
    await secret.get();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: ARN });
  });

  test('reads it again once the TTL has passed, picking up a rotated value', async () => {
    const secret = cache();
    await secret.get();
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ url: 'https://hooks.example.com/rotated-0123456789' }) });
    clock += DEFAULT_SECRET_TTL_MS;
    await expect(secret.get()).resolves.toEqual({ url: 'https://hooks.example.com/rotated-0123456789' });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  test('the TTL is configurable', async () => {
    const secret = createWebhookSecretCache({ client: new SecretsManagerClient({}), secretArn: ARN, now, ttlMs: 1_000 });
    await secret.get();
    clock += 1_000;
    await secret.get();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  test('invalidate() forces the next read', async () => {
    const secret = cache();
    await secret.get();
    secret.invalidate();
    await secret.get();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  test('a clock that steps backwards does not keep a value forever', async () => {
    const secret = cache();
    await secret.get();
    clock -= 60_000;
    await secret.get();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  test('an invalid secret is not cached: a fixed secret is picked up on the next event', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ url: 'http://hooks.example.com/x' }) })
      .resolves({ SecretString: JSON.stringify({ url: URL_VALUE, authorization: AUTH }) });
    const secret = cache();
    await expect(secret.get()).rejects.toThrow('only https is allowed');
    await expect(secret.get()).resolves.toEqual({ url: URL_VALUE, authorization: AUTH });
  });

  test('a binary secret is refused with what to do', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    await expect(cache().get()).rejects.toThrow(`Webhook secret ${ARN} has no SecretString (binary secrets are not supported)`);
  });

  test('an SDK failure names the secret and the permissions to check', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }));
    await expect(cache().get()).rejects.toThrow(
      `Could not read webhook secret ${ARN} (ResourceNotFoundException: Secrets Manager can't find the specified secret.)`,
    );
  });
});

describe('redact', () => {
  const target = { url: URL_VALUE, authorization: AUTH };

  test.each([
    ['the whole URL', `no_service for ${URL_VALUE}`],
    ['the URL without scheme', 'bad hook hooks.example.com/services/T0AAAAAAA/B0BBBBBBB/q1w2e3r4t5y6u7i8o9p0'],
    ['the path', 'unknown path /services/T0AAAAAAA/B0BBBBBBB/q1w2e3r4t5y6u7i8o9p0'],
    ['the token segment', 'invalid_token q1w2e3r4t5y6u7i8o9p0'],
    ['the URL-encoded URL', `url=${encodeURIComponent(URL_VALUE)}`],
    ['the authorization value', `header was ${AUTH}`],
    ['the bearer token alone', 'token tok_9f8e7d6c5b4a39281706 expired'],
  ])('removes %s', (_label, text) => {
    const out = redact(text, target);
    expect(out).toContain('[redacted]');
    expect(out).not.toContain('q1w2e3r4t5y6u7i8o9p0');
    expect(out).not.toContain('tok_9f8e7d6c5b4a39281706');
  });

  test('leaves other text alone', () => {
    expect(redact('invalid_payload', target)).toBe('invalid_payload');
  });

  test('query-string tokens are redacted too', () => {
    const withQuery = { url: 'https://tickets.example.com/hooks/in?token=zx9cv8bn7m6-secret' };
    expect(redact('rejected token=zx9cv8bn7m6-secret', withQuery)).toBe('rejected token=[redacted]');
  });
});
