import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

export type ResponseStatus = 'SUCCESS' | 'FAILED';

export interface Outcome {
  readonly status: ResponseStatus;
  readonly physicalResourceId: string;
  /** One line for the stack events; never a secret or a stack trace. */
  readonly reason?: string;
  readonly data?: Record<string, string>;
}

/**
 * Answers CloudFormation at the request's presigned URL (through the S3
 * gateway endpoint, whose policy admits exactly CloudFormation's response
 * bucket). CloudFormation waits for this answer; nothing else ends the request.
 */
export async function respond(event: CloudFormationCustomResourceEvent, outcome: Outcome, send: typeof fetch = fetch): Promise<void> {
  const body = JSON.stringify({
    Status: outcome.status,
    Reason: (outcome.reason ?? outcome.status).slice(0, 1000),
    PhysicalResourceId: outcome.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: outcome.data ?? {},
  });
  // The presigned URL is signed for no content type.
  const response = await send(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) } });
  if (!response.ok) throw new Error(`CloudFormation did not accept the response: HTTP ${response.status}`);
}

/**
 * Runs the request and always answers: SUCCESS with its result, or FAILED with
 * the error's first line (a CloudFormation request left unanswered hangs the stack for an hour).
 */
export async function runAndAnswer(
  event: CloudFormationCustomResourceEvent,
  fallbackId: string,
  run: (event: CloudFormationCustomResourceEvent) => Promise<{ PhysicalResourceId: string; Data?: Record<string, string> }>,
  log: Pick<Logger, 'error'>,
  send: typeof fetch = fetch,
): Promise<void> {
  let outcome: Outcome;
  try {
    const result = await run(event);
    outcome = { status: 'SUCCESS', physicalResourceId: result.PhysicalResourceId, data: result.Data };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : 'bootstrap failed';
    log.error('request failed', { reason });
    outcome = { status: 'FAILED', physicalResourceId: fallbackId, reason };
  }
  await respond(event, outcome, send);
}
