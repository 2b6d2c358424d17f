import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { type FetchLike } from '../../../functions/finding-notifier/deliver';
import { createHandler, depsFromEnv, handler, type FindingNotifierDeps } from '../../../functions/finding-notifier/handler';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:finding-notifier/webhook-AbCdEf';
// Distinctive values, so a leak shows up in the captured output whichever piece of them leaks.
const WEBHOOK_URL = 'https://hooks.example.com/services/T0AAAAAAA/B0BBBBBBB/q1w2e3r4t5y6u7i8o9p0';
const AUTHORIZATION = 'Bearer tok_9f8e7d6c5b4a39281706';
const SECRET_STRING = JSON.stringify({ url: WEBHOOK_URL, authorization: AUTHORIZATION });
const LEAK_MARKERS = [WEBHOOK_URL, 'hooks.example.com', 'q1w2e3r4t5y6u7i8o9p0', AUTHORIZATION, 'tok_9f8e7d6c5b4a39281706', SECRET_STRING];

type Event = EventBridgeEvent<string, unknown>;

const guardDutyFinding = {
  version: '0',
  id: 'c8c4daa7-a20c-2f03-0070-b7393dd542ad',
  'detail-type': 'GuardDuty Finding',
  source: 'aws.guardduty',
  account: '111122223333',
  time: '2025-03-04T10:15:30Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    schemaVersion: '2.0',
    accountId: '111122223333',
    region: 'eu-west-1',
    partition: 'aws',
    id: '46ba0ac2845071e23ccdeb2ae03bfdea',
    type: 'UnauthorizedAccess:EC2/SSHBruteForce',
    resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0c10c2c7863d1a356' } },
    severity: 2,
    title: '198.51.100.7 is performing SSH brute force attacks against i-0c10c2c7863d1a356.',
  },
} as unknown as Event;

const securityHubTwoFindings = {
  version: '0',
  id: '8e5622f9-d81c-4d81-612a-9319e7ee2506',
  'detail-type': 'Security Hub Findings - Imported',
  source: 'aws.securityhub',
  account: '111122223333',
  time: '2025-03-04T11:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    findings: [
      {
        SchemaVersion: '2018-10-08',
        Id: 'arn:aws:securityhub:eu-west-1:111122223333:security-control/S3.8/finding/0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
        ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
        AwsAccountId: '111122223333',
        Region: 'eu-west-1',
        Title: 'S3 general purpose buckets should block public access',
        Severity: { Label: 'HIGH', Normalized: 70 },
        Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::example-app-logs' }],
      },
      {
        SchemaVersion: '2018-10-08',
        Id: 'arn:aws:securityhub:eu-west-1:111122223333:security-control/IAM.6/finding/1c2d3e4f-5a6b-4c8d-9e0f-1a2b3c4d5e6f',
        ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
        AwsAccountId: '111122223333',
        Region: 'eu-west-1',
        Title: 'Hardware MFA should be enabled for the root user',
        Severity: { Label: 'CRITICAL', Normalized: 90 },
        Resources: [{ Type: 'AwsAccount', Id: 'AWS::::Account:111122223333' }],
      },
    ],
  },
} as unknown as Event;

const sm = mockClient(SecretsManagerClient);
let clock: number;
let sleep: jest.Mock<Promise<void>, [number]>;
let output: string[];

/** Everything Powertools wrote while the test ran, one JSON object per line. */
const logLines = () =>
  output
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeEach(() => {
  sm.reset();
  sm.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, SecretString: SECRET_STRING });
  clock = Date.parse('2025-03-04T10:16:00Z');
  sleep = jest.fn<Promise<void>, [number]>(async () => undefined);
  output = [];
  const sink = (chunk: string | Uint8Array) => {
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(sink);
  jest.spyOn(process.stderr, 'write').mockImplementation(sink);
});

afterEach(() => {
  jest.restoreAllMocks();
});

function deps(fetch: FetchLike, overrides: Partial<FindingNotifierDeps> = {}): FindingNotifierDeps {
  return {
    secrets: new SecretsManagerClient({ region: 'eu-west-1' }),
    fetch,
    sleep,
    now: () => clock,
    logger: new Logger({ serviceName: 'finding-notifier', logLevel: 'DEBUG' }),
    format: 'slack',
    secretArn: SECRET_ARN,
    random: () => 0.5,
    ...overrides,
  };
}

type FetchMock = jest.Mock<ReturnType<FetchLike>, Parameters<FetchLike>>;
const ok = (): FetchMock => jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(async () => new Response('ok', { status: 200 }));
const sentBodies = (fetch: FetchMock) => fetch.mock.calls.map(([, init]) => JSON.parse(init.body as string) as Record<string, unknown>);

test('a GuardDuty finding is posted to the webhook from the secret, in the configured format, and logged', async () => {
  const fetch = ok();
  await expect(createHandler(deps(fetch))(guardDutyFinding)).resolves.toEqual({ delivered: 1 });

  expect(fetch).toHaveBeenCalledTimes(1);
  const [url, init] = fetch.mock.calls[0];
  expect(url).toBe(WEBHOOK_URL);
  expect(init.headers).toEqual({ 'content-type': 'application/json', authorization: AUTHORIZATION });
  expect(sentBodies(fetch)[0].text).toBe(
    [
      '[LOW] 198.51.100.7 is performing SSH brute force attacks against i-0c10c2c7863d1a356.',
      'Resource: i-0c10c2c7863d1a356 (Instance)',
      'Account 111122223333 | Region eu-west-1',
      '<https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&amp;fId=46ba0ac2845071e23ccdeb2ae03bfdea|Open in the AWS console>',
    ].join('\n'),
  );
  expect(logLines()).toContainEqual(
    expect.objectContaining({
      level: 'INFO',
      message: 'Finding delivered',
      service: 'finding-notifier',
      attempts: 1,
      status: 200,
      finding: expect.objectContaining({
        title: '198.51.100.7 is performing SSH brute force attacks against i-0c10c2c7863d1a356.',
        severity: 'LOW',
        source: 'aws.guardduty',
        detailType: 'GuardDuty Finding',
      }),
    }),
  );
});

test('a Security Hub event with two findings posts two messages', async () => {
  const fetch = ok();
  await expect(createHandler(deps(fetch, { format: 'json' }))(securityHubTwoFindings)).resolves.toEqual({ delivered: 2 });
  expect(sentBodies(fetch)).toEqual([
    expect.objectContaining({ title: 'S3 general purpose buckets should block public access', severity: 'HIGH' }),
    expect.objectContaining({ title: 'Hardware MFA should be enabled for the root user', severity: 'CRITICAL' }),
  ]);
});

test('the teams format posts an Adaptive Card', async () => {
  const fetch = ok();
  await createHandler(deps(fetch, { format: 'teams' }))(guardDutyFinding);
  expect(sentBodies(fetch)[0]).toMatchObject({
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }],
  });
});

test('the secret is read once per container while fresh, and again after the TTL', async () => {
  const notify = createHandler(deps(ok(), { secretTtlMs: 60_000 }));
  await notify(guardDutyFinding);
  clock += 59_999;
  await notify(guardDutyFinding);
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  clock += 1;
  await notify(guardDutyFinding);
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
});

test('an http webhook URL fails the invocation before anything is sent', async () => {
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ url: 'http://hooks.example.com/q1w2e3r4t5y6u7i8o9p0' }) });
  const fetch = ok();
  await expect(createHandler(deps(fetch))(guardDutyFinding)).rejects.toThrow(/only https is allowed/);
  expect(fetch).not.toHaveBeenCalled();
});

test('one undeliverable finding does not stop the others, but fails the invocation and refreshes the secret', async () => {
  const fetch: FetchMock = jest.fn();
  fetch.mockResolvedValueOnce(new Response('invalid_blocks', { status: 400 })).mockResolvedValueOnce(new Response('ok', { status: 200 }));
  const notify = createHandler(deps(fetch));

  await expect(notify(securityHubTwoFindings)).rejects.toThrow(
    /^1 of 2 finding message\(s\) not delivered: Webhook rejected the message with HTTP 400/,
  );
  expect(fetch).toHaveBeenCalledTimes(2);
  expect(logLines()).toContainEqual(
    expect.objectContaining({
      level: 'ERROR',
      message: 'Finding not delivered',
      finding: expect.objectContaining({ title: 'S3 general purpose buckets should block public access' }),
    }),
  );

  // The next invocation (Lambda's retry) reads the secret again, in case the failure was a rotated URL.
  fetch.mockResolvedValue(new Response('ok', { status: 200 }));
  await notify(guardDutyFinding);
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
});

test('retries go through the injected sleep and the retry count is logged', async () => {
  const fetch: FetchMock = jest.fn();
  fetch
    .mockResolvedValueOnce(new Response('', { status: 429, headers: { 'retry-after': '2' } }))
    .mockResolvedValueOnce(new Response('ok', { status: 200 }));
  await createHandler(deps(fetch))(guardDutyFinding);
  expect(sleep.mock.calls).toEqual([[2_000]]);
  expect(logLines()).toContainEqual(expect.objectContaining({ message: 'Finding delivered', attempts: 2 }));
});

describe('no secret ever reaches the logs or the error', () => {
  function expectNoLeak(text: string): void {
    for (const marker of LEAK_MARKERS) expect(text).not.toContain(marker);
  }

  test('when every attempt fails, in every way, and the webhook echoes the request back', async () => {
    const echo = `${WEBHOOK_URL} ${AUTHORIZATION} ${SECRET_STRING}`;
    const fetch: FetchMock = jest.fn();
    fetch
      // undici's network errors name the host in the cause's message
      .mockRejectedValueOnce(new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ECONNREFUSED ${WEBHOOK_URL}`), { code: 'ECONNREFUSED' }) }))
      .mockResolvedValueOnce(new Response(echo, { status: 503 }))
      .mockResolvedValueOnce(new Response(echo, { status: 500 }));

    const error = (await createHandler(deps(fetch))(guardDutyFinding).catch((e: unknown) => e)) as Error;

    expect(error.message).toMatch(/^1 of 1 finding message\(s\) not delivered: Webhook delivery failed after 3 attempts/);
    const logged = output.join('');
    // The capture works and saw the failure path, so the negative assertions below mean something.
    expect(logged).toContain('Webhook attempt failed');
    expect(logged).toContain('Finding not delivered');
    expect(logged).toContain('[redacted]');
    expectNoLeak(logged);
    expectNoLeak(`${error.message}\n${error.stack ?? ''}`);
  });

  test('when the webhook rejects the message outright', async () => {
    const fetch: FetchMock = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(
      async () => new Response(`invalid_token for ${WEBHOOK_URL}`, { status: 403 }),
    );
    const error = (await createHandler(deps(fetch))(guardDutyFinding).catch((e: unknown) => e)) as Error;
    const logged = output.join('');
    expect(logged).toContain('Webhook rejected the message');
    expectNoLeak(logged);
    expectNoLeak(`${error.message}\n${error.stack ?? ''}`);
  });

  test('when delivery succeeds', async () => {
    await createHandler(deps(ok()))(guardDutyFinding);
    const logged = output.join('');
    expect(logged).toContain('Finding delivered');
    expectNoLeak(logged);
  });

  test('when the secret is malformed', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: `{"url": "${WEBHOOK_URL}", "authorization": "${AUTHORIZATION}"` });
    const error = (await createHandler(deps(ok()))(guardDutyFinding).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('is not valid JSON');
    expectNoLeak(`${error.message}\n${error.stack ?? ''}\n${output.join('')}`);
  });
});

describe('configuration from the environment', () => {
  test('WEBHOOK_SECRET_ARN is required', () => {
    expect(() => depsFromEnv({ WEBHOOK_FORMAT: 'slack' })).toThrow('WEBHOOK_SECRET_ARN is not set');
  });

  test('WEBHOOK_FORMAT must be a known format', () => {
    expect(() => depsFromEnv({ WEBHOOK_SECRET_ARN: SECRET_ARN, WEBHOOK_FORMAT: 'email' })).toThrow('WEBHOOK_FORMAT is "email"');
  });

  test('both set', () => {
    expect(depsFromEnv({ WEBHOOK_SECRET_ARN: SECRET_ARN, WEBHOOK_FORMAT: 'teams' })).toMatchObject({ secretArn: SECRET_ARN, format: 'teams' });
  });

  test('the exported handler reports missing configuration, then works once it is set, with the real fetch wiring', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.WEBHOOK_SECRET_ARN;
      process.env.WEBHOOK_FORMAT = 'json';
      await expect(handler(guardDutyFinding)).rejects.toThrow('WEBHOOK_SECRET_ARN is not set');

      process.env.WEBHOOK_SECRET_ARN = SECRET_ARN;
      process.env.AWS_REGION = 'eu-west-1';
      const globalFetch = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('ok', { status: 200 }));
      await expect(handler(guardDutyFinding)).resolves.toEqual({ delivered: 1 });
      expect(globalFetch).toHaveBeenCalledWith(WEBHOOK_URL, expect.objectContaining({ method: 'POST', signal: expect.any(AbortSignal) }));
      expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: SECRET_ARN });
    } finally {
      process.env = saved;
    }
  });
});
