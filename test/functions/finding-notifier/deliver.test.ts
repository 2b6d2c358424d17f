import { Logger } from '@aws-lambda-powertools/logger';
import {
  backoff,
  deliver,
  parseRetryAfter,
  WebhookDeliveryError,
  type DeliveryOptions,
  type FetchLike,
} from '../../../functions/finding-notifier/deliver';

const target = { url: 'https://hooks.example.com/services/T0AAAAAAA/B0BBBBBBB/q1w2e3r4t5y6u7i8o9p0', authorization: 'Bearer tok_9f8e7d6c5b4a39281706' };
const payload = { text: '[HIGH] something happened' };
const NOW = Date.parse('2025-03-04T10:00:00Z');

/** Captures the Powertools JSON lines written to stdout and stderr while a test runs. */
function captureLogs(): { lines: () => Record<string, unknown>[]; raw: () => string } {
  const chunks: string[] = [];
  const sink = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(sink);
  jest.spyOn(process.stderr, 'write').mockImplementation(sink);
  const raw = () => chunks.join('');
  return {
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function response(status: number, body = '', headers: Record<string, string> = {}): Response {
  // The Response constructor refuses a body on 204/304; none of these tests needs one there.
  return new Response(status === 204 ? null : body, { status, headers });
}

type FetchMock = jest.Mock<ReturnType<FetchLike>, Parameters<FetchLike>>;

function fetchReturning(...results: (Response | Error)[]): FetchMock {
  const fn: FetchMock = jest.fn();
  for (const result of results) {
    if (result instanceof Error) fn.mockRejectedValueOnce(result);
    else fn.mockResolvedValueOnce(result);
  }
  return fn;
}

function networkError(code: string): TypeError {
  // What undici throws: a generic message, with the socket error (which names the host) as the cause.
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ${code} hooks.example.com`), { code }) });
}

let sleep: jest.Mock<Promise<void>, [number]>;
let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  sleep = jest.fn<Promise<void>, [number]>(async () => undefined);
  logs = captureLogs();
});

afterEach(() => {
  jest.restoreAllMocks();
});

function options(fetch: FetchLike, overrides: Partial<DeliveryOptions> = {}): DeliveryOptions {
  return {
    fetch,
    sleep,
    now: () => NOW,
    logger: new Logger({ serviceName: 'finding-notifier-test', logLevel: 'DEBUG' }),
    random: () => 0.5,
    ...overrides,
  };
}

describe('a successful delivery', () => {
  test('POSTs the JSON payload once, with content type, authorization, a timeout signal and no redirects', async () => {
    const fetch = fetchReturning(response(200, 'ok'));
    const signal = new AbortController().signal;
    const timeoutSignal = jest.fn(() => signal);

    await expect(deliver(target, payload, options(fetch, { timeoutSignal, timeoutMs: 2_500 }))).resolves.toEqual({ status: 200, attempts: 1 });

    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: target.authorization },
      body: JSON.stringify(payload),
      signal,
      redirect: 'manual',
    });
    expect(timeoutSignal).toHaveBeenCalledWith(2_500);
    expect(sleep).not.toHaveBeenCalled();
  });

  test('sends no authorization header when the secret has none', async () => {
    const fetch = fetchReturning(response(204));
    await deliver({ url: target.url }, payload, options(fetch));
    expect(fetch.mock.calls[0][1].headers).toEqual({ 'content-type': 'application/json' });
  });
});

describe('retries', () => {
  test('429 then 200: two calls, one backoff sleep', async () => {
    const fetch = fetchReturning(response(429, 'rate_limited'), response(200, 'ok'));
    await expect(deliver(target, payload, options(fetch))).resolves.toEqual({ status: 200, attempts: 2 });
    expect(fetch).toHaveBeenCalledTimes(2);
    // Equal jitter with random() = 0.5: 500/2 + 0.5 * 500/2.
    expect(sleep.mock.calls).toEqual([[375]]);
  });

  test('500 three times: three calls, then a WebhookDeliveryError for Lambda to retry', async () => {
    const fetch = fetchReturning(response(500), response(502), response(503));
    const error = await deliver(target, payload, options(fetch)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error).toMatchObject({
      message:
        'Webhook delivery failed after 3 attempts (last: HTTP 503); Lambda will retry the event and then send it to the dead-letter queue',
      attempts: 3,
      status: 503,
      retryable: true,
    });
    expect(fetch).toHaveBeenCalledTimes(3);
    // Exponential: 500 then 1000 before jitter; no sleep after the last attempt.
    expect(sleep.mock.calls).toEqual([[375], [750]]);
  });

  test('400: one call, no retry, an error saying what to check', async () => {
    const fetch = fetchReturning(response(400, 'invalid_payload'), response(200));
    const error = await deliver(target, payload, options(fetch)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WebhookDeliveryError', status: 400, attempts: 1, retryable: false });
    expect((error as Error).message).toMatch(/^Webhook rejected the message with HTTP 400, not retried/);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
    // The webhook's own error code is logged, as it is usually the quickest diagnosis.
    expect(logs.lines()).toContainEqual(expect.objectContaining({ message: 'Webhook rejected the message', responseBody: 'invalid_payload' }));
  });

  test.each([401, 403, 404, 410, 301, 302])('HTTP %d is not retried either', async (status) => {
    const fetch = fetchReturning(response(status, '', status >= 300 && status < 400 ? { location: 'https://elsewhere.example.com/' } : {}));
    await expect(deliver(target, payload, options(fetch))).rejects.toMatchObject({ retryable: false, status });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test('a network error is retried and described by its code, not its message', async () => {
    const fetch = fetchReturning(networkError('ECONNRESET'), networkError('ECONNRESET'), networkError('ENOTFOUND'));
    const error = (await deliver(target, payload, options(fetch)).catch((e: unknown) => e)) as Error;
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(error.message).toContain('(last: network error (TypeError ENOTFOUND))');
    expect(error.message).not.toContain('hooks.example.com');
  });

  test('a network error followed by success delivers', async () => {
    const fetch = fetchReturning(networkError('ECONNREFUSED'), response(200));
    await expect(deliver(target, payload, options(fetch))).resolves.toEqual({ status: 200, attempts: 2 });
  });

  test('maxAttempts is configurable', async () => {
    const fetch = fetchReturning(response(500), response(500), response(500), response(500), response(200));
    await expect(deliver(target, payload, options(fetch, { maxAttempts: 5 }))).resolves.toEqual({ status: 200, attempts: 5 });
    expect(sleep.mock.calls).toEqual([[375], [750], [1500], [3000]]);
  });
});

describe('Retry-After', () => {
  test('delay-seconds is honoured instead of the backoff', async () => {
    const fetch = fetchReturning(response(429, '', { 'retry-after': '3' }), response(200));
    await deliver(target, payload, options(fetch));
    expect(sleep.mock.calls).toEqual([[3_000]]);
  });

  test('an HTTP-date is honoured relative to the injected clock', async () => {
    const fetch = fetchReturning(response(503, '', { 'retry-after': new Date(NOW + 4_000).toUTCString() }), response(200));
    await deliver(target, payload, options(fetch));
    expect(sleep.mock.calls).toEqual([[4_000]]);
  });

  test('a long Retry-After is capped so the function does not sit out its timeout', async () => {
    const fetch = fetchReturning(response(429, '', { 'retry-after': '120' }), response(200));
    await deliver(target, payload, options(fetch));
    expect(sleep.mock.calls).toEqual([[10_000]]);
  });

  test('the cap is configurable', async () => {
    const fetch = fetchReturning(response(429, '', { 'retry-after': '120' }), response(200));
    await deliver(target, payload, options(fetch, { maxDelayMs: 2_000 }));
    expect(sleep.mock.calls).toEqual([[2_000]]);
  });

  test('a malformed Retry-After falls back to the backoff', async () => {
    const fetch = fetchReturning(response(429, '', { 'retry-after': 'soon' }), response(200));
    await deliver(target, payload, options(fetch));
    expect(sleep.mock.calls).toEqual([[375]]);
  });

  test.each([
    ['0', 0],
    ['7', 7_000],
    [' 2 ', 2_000],
    ['Tue, 04 Mar 2025 10:00:05 GMT', 5_000],
    ['Tue, 04 Mar 2025 09:59:00 GMT', 0],
    ['-1', undefined],
    ['1.5', undefined],
    ['later', undefined],
  ])('parseRetryAfter(%p) is %p ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  test('no header, no value', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});

describe('backoff', () => {
  test.each([
    [1, 0, 250],
    [1, 0.999, 500],
    [2, 0, 500],
    [3, 0.5, 1_500],
  ])('attempt %d with random %p waits %d ms', (attempt, random, expected) => {
    expect(backoff(attempt, 500, () => random)).toBe(expected);
  });
});

describe('timeouts', () => {
  /** A webhook that never answers: the request ends only when its signal aborts. */
  const hangingFetch: FetchLike = (_url, init) =>
    new Promise<Response>((_resolve, reject) => {
      const signal = init.signal as AbortSignal;
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });

  test('each attempt is bounded by AbortSignal.timeout, and timeouts are retried then reported', async () => {
    const fetch = jest.fn(hangingFetch);
    const error = (await deliver(target, payload, options(fetch, { timeoutMs: 5 })).catch((e: unknown) => e)) as WebhookDeliveryError;
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(error.message).toContain('(last: timed out after 5 ms)');
    expect(error.retryable).toBe(true);
  });

  test('a timeout followed by success delivers', async () => {
    const fetch: FetchMock = jest.fn();
    fetch.mockImplementationOnce(hangingFetch).mockResolvedValueOnce(response(200));
    await expect(deliver(target, payload, options(fetch, { timeoutMs: 5 }))).resolves.toEqual({ status: 200, attempts: 2 });
  });
});

describe('logging', () => {
  test('every failed attempt is logged with the delay before the next one', async () => {
    const fetch = fetchReturning(response(503, 'upstream down'), networkError('ECONNRESET'), response(200));
    await deliver(target, payload, options(fetch));
    const warnings = logs.lines().filter((line) => line.message === 'Webhook attempt failed');
    expect(warnings).toEqual([
      expect.objectContaining({ level: 'WARN', attempt: 1, maxAttempts: 3, failure: 'HTTP 503', retryInMs: 375, responseBody: 'upstream down' }),
      expect.objectContaining({ level: 'WARN', attempt: 2, maxAttempts: 3, failure: 'network error (TypeError ECONNRESET)', retryInMs: 750 }),
    ]);
  });

  test('a response body that echoes the URL or the authorization is redacted before it is logged', async () => {
    const echo = `no_service: ${target.url} with ${target.authorization}`;
    const fetch = fetchReturning(response(500, echo), response(500, echo), response(404, echo));
    await expect(deliver(target, payload, options(fetch))).rejects.toThrow(WebhookDeliveryError);
    const output = logs.raw();
    expect(output).toContain('no_service: [redacted] with [redacted]');
    expect(output).not.toContain('q1w2e3r4t5y6u7i8o9p0');
    expect(output).not.toContain('tok_9f8e7d6c5b4a39281706');
    expect(output).not.toContain('hooks.example.com');
  });
});
