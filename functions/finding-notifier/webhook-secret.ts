import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Where to POST. Both fields are credentials (a chat webhook URL alone lets anyone post to the channel), so neither
 * may reach a log line or an error message.
 */
export interface WebhookTarget {
  readonly url: string;
  readonly authorization?: string;
}

/** Long enough that a burst of findings costs one GetSecretValue, short enough that a rotated URL is picked up soon. */
export const DEFAULT_SECRET_TTL_MS = 5 * 60 * 1000;

// Header values cannot carry control characters; refusing them here gives a clear error instead of a fetch failure
// whose message would quote the value.
function hasControlCharacter(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

/**
 * Validates the secret's JSON. Error messages name the secret and the problem, never the value: JSON.parse and
 * new URL errors quote their input, so they are replaced rather than passed on.
 */
export function parseWebhookSecret(secretString: string, secretArn: string): WebhookTarget {
  const expected = 'expected JSON {"url": "https://...", "authorization"?: "..."}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new Error(`Webhook secret ${secretArn} is not valid JSON; ${expected}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`Webhook secret ${secretArn} is not a JSON object; ${expected}`);
  }
  const { url, authorization } = parsed as Record<string, unknown>;
  if (typeof url !== 'string' || url.trim() === '') {
    throw new Error(`Webhook secret ${secretArn} has no "url" string; ${expected}`);
  }
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url.trim());
  } catch {
    throw new Error(`Webhook secret ${secretArn} has a "url" that is not an absolute URL; ${expected}`);
  }
  if (parsedUrl.protocol !== 'https:') {
    throw new Error(
      `Webhook secret ${secretArn} has a "url" with scheme ${parsedUrl.protocol.replace(/:$/, '')}; only https is ` +
        'allowed, because the messages describe security findings and the URL is itself a credential. ' +
        'Store the https webhook URL.',
    );
  }
  const badAuthorization =
    typeof authorization !== 'string' || authorization.trim() === '' || hasControlCharacter(authorization);
  if (authorization !== undefined && badAuthorization) {
    throw new Error(
      `Webhook secret ${secretArn} has an "authorization" that is not a non-empty single-line string; ` +
        'fix it or remove the key',
    );
  }
  return authorization === undefined ? { url: parsedUrl.href } : { url: parsedUrl.href, authorization };
}

export interface WebhookSecretCache {
  /** The webhook target, from the per-container cache when it is fresh enough. */
  get(): Promise<WebhookTarget>;
  /** Forget the cached value, so the next get() reads the secret again (after a failed delivery, in case it rotated). */
  invalidate(): void;
}

export function createWebhookSecretCache(options: {
  client: Pick<SecretsManagerClient, 'send'>;
  secretArn: string;
  now: () => number;
  ttlMs?: number;
}): WebhookSecretCache {
  const { client, secretArn, now, ttlMs = DEFAULT_SECRET_TTL_MS } = options;
  let cached: { target: WebhookTarget; fetchedAt: number } | undefined;
  return {
    async get() {
      const at = now();
      // `at >= fetchedAt` guards against a clock that steps backwards keeping a stale value forever.
      if (cached !== undefined && at >= cached.fetchedAt && at - cached.fetchedAt < ttlMs) return cached.target;
      let secretString: string | undefined;
      try {
        secretString = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new Error(
          `Could not read webhook secret ${secretArn} (${reason}); check that it exists and that the function's role ` +
            "may call secretsmanager:GetSecretValue on it and kms:Decrypt on its key",
          { cause: error },
        );
      }
      if (secretString === undefined) {
        throw new Error(
          `Webhook secret ${secretArn} has no SecretString (binary secrets are not supported); store it as JSON text`,
        );
      }
      const target = parseWebhookSecret(secretString, secretArn);
      cached = { target, fetchedAt: at };
      return target;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/**
 * The substrings of a target that must not be logged: the URL in the forms a server might echo it, its path pieces
 * and query values long enough to be tokens, and the authorization value with and without its scheme.
 */
function sensitiveStrings(target: WebhookTarget): string[] {
  const values = [target.url];
  const url = new URL(target.url);
  values.push(`${url.host}${url.pathname}`);
  if (url.pathname.length > 1) values.push(url.pathname);
  values.push(...url.pathname.split('/').filter((segment) => segment.length >= 8));
  for (const value of url.searchParams.values()) if (value.length >= 8) values.push(value);
  if (target.authorization !== undefined) {
    values.push(target.authorization);
    const credentials = target.authorization.split(/\s+/).slice(1).join(' ');
    if (credentials.length > 0) values.push(credentials);
  }
  const withEncoded = values.flatMap((v) => [v, encodeURIComponent(v)]);
  // Longest first, so a whole URL is replaced before its pieces are.
  return [...new Set(withEncoded)].sort((a, b) => b.length - a.length);
}

/** Removes every sensitive substring of the target from text that came from outside (a webhook's response body). */
export function redact(text: string, target: WebhookTarget): string {
  let out = text;
  for (const secret of sensitiveStrings(target)) out = out.split(secret).join('[redacted]');
  return out;
}
