import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AlbJwtVerifier } from 'aws-jwt-verify';
import { AlbJwksCache } from 'aws-jwt-verify/alb-cache';
import type { Fetcher } from 'aws-jwt-verify/https';
import { HttpError } from '../errors';

export interface Identity {
  /** The OIDC subject: owner of the documents this caller may see. */
  readonly sub: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
  }
}

export type IdentityResolver = (request: FastifyRequest) => Promise<Identity>;

const unauthenticated = () => new HttpError(401, 'unauthenticated', 'a valid identity is required');

/**
 * The load balancer authenticates users with OIDC and passes their claims in `x-amzn-oidc-data`,
 * an ES256 JWT that it signs. Accept it only when signed by THIS load balancer (signer), for THIS
 * client, from THIS issuer, and unexpired. `fetcher` replaces the download of the ALB public key
 * (tests serve their own key).
 */
export function albIdentity(options: { albArn: string; clientId: string; issuer: string; fetcher?: Fetcher }): IdentityResolver {
  const verifier = AlbJwtVerifier.create(
    { albArn: options.albArn, clientId: options.clientId, issuer: options.issuer },
    options.fetcher ? { jwksCache: new AlbJwksCache({ fetcher: options.fetcher }) } : undefined,
  );
  return async (request) => {
    const token = request.headers['x-amzn-oidc-data'];
    if (typeof token !== 'string' || token.length === 0 || token.length > 16_384) throw unauthenticated();
    try {
      const payload = await verifier.verify(token);
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 256) throw unauthenticated();
      return { sub: payload.sub };
    } catch {
      throw unauthenticated();
    }
  };
}

const DEV_USER = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * Local development only (AUTH_MODE=local-dev, refused in production at start): the caller names
 * itself in `x-dev-user`, default `developer`, so two users can be tried on one machine.
 */
export function localDevIdentity(): IdentityResolver {
  return async (request) => {
    const user = request.headers['x-dev-user'] ?? 'developer';
    if (typeof user !== 'string' || !DEV_USER.test(user)) throw new HttpError(401, 'unauthenticated', 'x-dev-user: letters, digits and ._@- only, at most 64');
    return { sub: `dev:${user}` };
  };
}

/**
 * No identity provider in front of the service (the load balancer does not authenticate users):
 * there is nobody to scope documents to, so every document request is refused.
 */
export function noIdentity(): IdentityResolver {
  return async () => {
    throw new HttpError(401, 'unauthenticated', 'user authentication is not configured for this deployment');
  };
}

/** Every route except health requires an identity; resolved before the rate limit, which is keyed by it. */
export function requireIdentity(app: FastifyInstance, resolve: IdentityResolver): void {
  app.decorateRequest('identity', undefined);
  app.addHook('onRequest', async (request) => {
    // Decided by the route matched, not the raw URL, so no path trick reaches a document route unauthenticated.
    if (request.routeOptions.url === '/health/live' || request.routeOptions.url === '/health/ready') return;
    request.identity = await resolve(request);
  });
}
