import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The service's own secret (the key that signs download links), read through the instance
 * profile. Cached for `ttlMs`; a rotation is picked up when the cache expires, or sooner when a
 * link fails to verify (`refreshIfStale`), at most once per `minRefreshMs` so that bad links
 * cannot drive calls to Secrets Manager.
 */
export class SigningKey {
  private cached?: { key: Buffer; fetchedAt: number };
  private inflight?: Promise<Buffer>;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretArn: string,
    private readonly ttlMs = 5 * 60_000,
    private readonly minRefreshMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<Buffer> {
    if (this.cached && this.now() - this.cached.fetchedAt < this.ttlMs) return this.cached.key;
    return this.fetch();
  }

  /** Re-reads the secret if the cached copy is older than the minimum refresh interval; true when it changed. */
  async refreshIfStale(): Promise<boolean> {
    if (this.cached && this.now() - this.cached.fetchedAt < this.minRefreshMs) return false;
    const before = this.cached?.key;
    const after = await this.fetch();
    return !before || !before.equals(after);
  }

  private fetch(): Promise<Buffer> {
    this.inflight ??= (async () => {
      try {
        const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretArn }));
        const key = parseSigningKey(out.SecretString);
        this.cached = { key, fetchedAt: this.now() };
        return key;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}

/** The secret string is either the key itself or JSON with a `signingKey` field; at least 32 characters. */
export function parseSigningKey(secret: string | undefined): Buffer {
  if (!secret) throw new Error('signing secret has no SecretString');
  let value = secret;
  if (secret.trimStart().startsWith('{')) {
    const parsed = JSON.parse(secret) as { signingKey?: unknown };
    if (typeof parsed.signingKey !== 'string') throw new Error('signing secret JSON has no string field signingKey');
    value = parsed.signingKey;
  }
  if (value.length < 32) throw new Error('signing key is shorter than 32 characters');
  return Buffer.from(value, 'utf8');
}
