import { type Logger } from '@aws-lambda-powertools/logger';
import { redact, type WebhookTarget } from './webhook-secret';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface DeliveryOptions {
  readonly fetch: FetchLike;
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds; used to turn an HTTP-date Retry-After into a delay. */
  readonly now: () => number;
  readonly logger: Logger;
  /** Per attempt, covering connect, request and response body. */
  readonly timeoutMs?: number;
  readonly timeoutSignal?: (ms: number) => AbortSignal;
  /** Attempts in total, the first one included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  /** Upper bound on any wait, Retry-After included, so one slow webhook cannot use up the Lambda timeout. */
  readonly maxDelayMs?: number;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
}

export const DELIVERY_DEFAULTS = {
  timeoutMs: 5_000,
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
} as const;

export interface DeliveryResult {
  readonly status: number;
  readonly attempts: number;
}

/** Thrown when a message could not be delivered. The message is safe to log: it never contains the URL or header. */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';

  constructor(
    message: string,
    readonly attempts: number,
    readonly status: number | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

// Response bodies are logged (redacted) only as far as an error code needs: Slack answers "invalid_payload" etc.
const MAX_LOGGED_BODY = 200;

/**
 * POSTs one payload as JSON. Network errors, timeouts, 429 and 5xx are retried with exponential backoff and jitter
 * (Retry-After wins when the server sends it, capped); any other non-2xx answer fails at once, because sending the same
 * payload again will not change it. After the last attempt it throws, so Lambda's asynchronous retries and then the
 * dead-letter queue take over.
 */
export async function deliver(target: WebhookTarget, payload: unknown, options: DeliveryOptions): Promise<DeliveryResult> {
  const {
    fetch,
    sleep,
    now,
    logger,
    timeoutMs = DELIVERY_DEFAULTS.timeoutMs,
    timeoutSignal = (ms: number) => AbortSignal.timeout(ms),
    maxAttempts = DELIVERY_DEFAULTS.maxAttempts,
    baseDelayMs = DELIVERY_DEFAULTS.baseDelayMs,
    maxDelayMs = DELIVERY_DEFAULTS.maxDelayMs,
    random = Math.random,
  } = options;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.authorization !== undefined) headers.authorization = target.authorization;
  const body = JSON.stringify(payload);

  let lastFailure = 'no attempt made';
  let lastStatus: number | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let retryAfterMs: number | undefined;
    let responseBody: string | undefined;
    try {
      // redirect: 'manual' because a webhook that redirects is misconfigured, and following it could carry the
      // Authorization header or the message to a host nobody chose.
      const response = await fetch(target.url, {
        method: 'POST',
        headers,
        body,
        signal: timeoutSignal(timeoutMs),
        redirect: 'manual',
      });
      if (response.ok) {
        await discardBody(response);
        return { status: response.status, attempts: attempt };
      }
      lastStatus = response.status;
      lastFailure = `HTTP ${response.status}`;
      responseBody = await bodySnippet(response, target);
      if (!isRetryableStatus(response.status)) {
        logger.warn('Webhook rejected the message', { attempt, maxAttempts, failure: lastFailure, responseBody });
        throw new WebhookDeliveryError(
          `Webhook rejected the message with ${lastFailure}, not retried because resending cannot help; ` +
            'check the webhook URL and authorization in the secret and the WEBHOOK_FORMAT',
          attempt,
          response.status,
          false,
        );
      }
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
    } catch (error) {
      if (error instanceof WebhookDeliveryError) throw error;
      lastStatus = undefined;
      lastFailure = describeFetchError(error, timeoutMs);
    }

    const delayMs =
      attempt < maxAttempts ? Math.min(retryAfterMs ?? backoff(attempt, baseDelayMs, random), maxDelayMs) : undefined;
    logger.warn('Webhook attempt failed', { attempt, maxAttempts, failure: lastFailure, retryInMs: delayMs, responseBody });
    if (delayMs !== undefined) await sleep(delayMs);
  }
  throw new WebhookDeliveryError(
    `Webhook delivery failed after ${maxAttempts} attempts (last: ${lastFailure}); ` +
      'Lambda will retry the event and then send it to the dead-letter queue',
    maxAttempts,
    lastStatus,
    true,
  );
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Equal jitter: half the exponential delay is fixed, half random, so retries from many containers spread out. */
export function backoff(attempt: number, baseDelayMs: number, random: () => number): number {
  const exponential = baseDelayMs * 2 ** (attempt - 1);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3); anything else is ignored. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only the IMF-fixdate form servers must send: Date.parse alone would accept "-1" or "1.5" as dates.
  if (!HTTP_DATE.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Names the failure without quoting the error message: fetch errors can quote the host or a header value. The error
 * name and the socket error code are enough to tell a timeout from a refused or reset connection.
 */
function describeFetchError(error: unknown, timeoutMs: number): string {
  // Duck-typed rather than instanceof Error: the abort reason is a DOMException, which may come from another realm.
  const { name, cause } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; cause?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const code = (typeof cause === 'object' && cause !== null ? cause : {}) as { code?: unknown };
  const parts = [name, code.code].filter((part): part is string => typeof part === 'string');
  return parts.length === 0 ? 'network error' : `network error (${parts.join(' ')})`;
}

async function bodySnippet(response: Response, target: WebhookTarget): Promise<string | undefined> {
  try {
    const text = redact(await response.text(), target).trim();
    return text === '' ? undefined : text.slice(0, MAX_LOGGED_BODY);
  } catch {
    // The status already says what failed; a body that cannot be read adds nothing worth failing over.
    return undefined;
  }
}

async function discardBody(response: Response): Promise<void> {
  try {
    // Reading the body releases the connection back to the pool for the next message.
    await response.arrayBuffer();
  } catch {
    // The webhook has already accepted the message; a broken body after a 2xx does not make delivery fail.
  }
}
