/**
 * Error names the state machines match in Retry and Catch. A Lambda error's
 * type is the thrown error's `name`, so these names reach Step Functions as is.
 */
export const THROTTLED = 'IncidentThrottled';
/** The case cannot go on (instance gone, record altered...): no retry, straight to the failure path. */
export const REFUSED = 'IncidentRefused';

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'Rate exceeded',
]);

export class IncidentError extends Error {
  constructor(name: typeof THROTTLED | typeof REFUSED, message: string) {
    super(message);
    this.name = name;
  }
}

export function refuse(message: string): never {
  throw new IncidentError(REFUSED, message);
}

function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const e = error as { name?: string; Code?: string; code?: string };
  return e.Code ?? e.code ?? e.name ?? '';
}

export function isThrottling(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return THROTTLING_CODES.has(codeOf(error)) || status === 429;
}

export function hasCode(error: unknown, code: string): boolean {
  return codeOf(error) === code;
}

/** Throttling becomes one error name the state machine retries with backoff; anything else keeps its own. */
export function classify(error: unknown): Error {
  if (error instanceof IncidentError) return error;
  if (isThrottling(error)) return new IncidentError(THROTTLED, `throttled: ${(error as Error).message ?? String(error)}`);
  return error instanceof Error ? error : new Error(String(error));
}
