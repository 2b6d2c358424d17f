import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Context, type EventBridgeEvent } from 'aws-lambda';
import { deliver, type DeliveryOptions, type FetchLike } from './deliver';
import { formatMessage, parseWebhookFormat, type WebhookFormat } from './format';
import { normaliseEvent, type NormalisedFinding } from './normalise';
import { createWebhookSecretCache } from './webhook-secret';

export interface FindingNotifierDeps {
  readonly secrets: Pick<SecretsManagerClient, 'send'>;
  readonly fetch: FetchLike;
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds: secret cache age and Retry-After dates. */
  readonly now: () => number;
  readonly logger: Logger;
  readonly format: WebhookFormat;
  readonly secretArn: string;
  readonly secretTtlMs?: number;
  readonly timeoutMs?: number;
  readonly timeoutSignal?: (ms: number) => AbortSignal;
  readonly maxAttempts?: number;
  readonly random?: () => number;
}

export interface NotifyResult {
  readonly delivered: number;
}

export type FindingNotifier = (event: EventBridgeEvent<string, unknown>, context?: Context) => Promise<NotifyResult>;

/**
 * Builds the handler from its I/O. One message per finding; a finding that cannot be delivered does not stop the
 * others, but the invocation then throws so Lambda retries the event (at least once: findings already delivered may
 * be posted again) and finally hands it to the dead-letter queue.
 */
export function createHandler(deps: FindingNotifierDeps): FindingNotifier {
  const { logger, format } = deps;
  const secret = createWebhookSecretCache({
    client: deps.secrets,
    secretArn: deps.secretArn,
    now: deps.now,
    ttlMs: deps.secretTtlMs,
  });
  const deliveryOptions: DeliveryOptions = {
    fetch: deps.fetch,
    sleep: deps.sleep,
    now: deps.now,
    logger,
    timeoutMs: deps.timeoutMs,
    timeoutSignal: deps.timeoutSignal,
    maxAttempts: deps.maxAttempts,
    random: deps.random,
  };

  return async (event, context) => {
    if (context !== undefined) logger.addContext(context);
    const findings = normaliseEvent(event);
    const target = await secret.get();

    const failures: string[] = [];
    for (const finding of findings) {
      const fields = logFields(finding);
      try {
        const result = await deliver(target, formatMessage(finding, format), deliveryOptions);
        logger.info('Finding delivered', { ...fields, attempts: result.attempts, status: result.status });
      } catch (error) {
        // Only our own messages are logged, never an error object that might carry request details.
        const reason = error instanceof Error ? error.message : String(error);
        logger.error('Finding not delivered', { ...fields, reason });
        failures.push(reason);
      }
    }

    if (failures.length > 0) {
      // The secret may have been rotated under us (a 403 or 404 from the webhook): read it afresh on the retry.
      secret.invalidate();
      throw new Error(`${failures.length} of ${findings.length} finding message(s) not delivered: ${failures[0]}`);
    }
    return { delivered: findings.length };
  };
}

/** What identifies a finding in the logs: enough to find it, nothing about where it was sent. */
function logFields(f: NormalisedFinding): Record<string, unknown> {
  const { title, severity, source, detailType, id, resource } = f;
  return { finding: { title, severity, source, detailType, id, resource } };
}

/** Reads the configuration the CDK construct sets, failing with the variable's name when one is missing. */
export function depsFromEnv(env: NodeJS.ProcessEnv): FindingNotifierDeps {
  const secretArn = env.WEBHOOK_SECRET_ARN?.trim();
  if (!secretArn) throw new Error('WEBHOOK_SECRET_ARN is not set; set it to the ARN of the webhook secret');
  return {
    secrets: new SecretsManagerClient({}),
    fetch: (url, init) => fetch(url, init),
    sleep: (ms) => delay(ms),
    now: () => Date.now(),
    logger: new Logger({ serviceName: 'finding-notifier' }),
    format: parseWebhookFormat(env.WEBHOOK_FORMAT),
    secretArn,
  };
}

let containerHandler: FindingNotifier | undefined;

/**
 * Lambda entry point. Built on the first event rather than at import, so tests can import this module without AWS
 * configuration, and so a configuration error is reported by the invocation that hit it. Built once per container,
 * which is what keeps the secret cache and the SDK client warm.
 */
export const handler: FindingNotifier = async (event, context) => {
  containerHandler ??= createHandler(depsFromEnv(process.env));
  return containerHandler(event, context);
};
