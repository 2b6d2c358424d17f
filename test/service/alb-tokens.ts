import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the load balancer's OIDC signing: ES256 tokens in the ALB format (signer,
 * client, iss, exp in the header) and the public key served over HTTP the way the ALB key
 * endpoint serves it (PEM at <uri>/<kid>).
 */
export const ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/workload/50dc6c495c0c9188';
export const CLIENT_ID = 'documents-client';
export const ISSUER = 'https://idp.example.com';

export interface AlbKeyServer {
  readonly url: string;
  /** Replaces the download from public-keys.auth.elb.<region>.amazonaws.com with one from this server. */
  readonly fetcher: { fetch: (uri: string) => Promise<ArrayBuffer> };
  /** Keys the server publishes (a key not added here is unknown to the verifier). */
  addKey(): SigningIdentity;
  /** A key that signs but is never published: a forgery. */
  unpublishedKey(): SigningIdentity;
  close(): Promise<void>;
}

export interface SigningIdentity {
  readonly kid: string;
  token(claims: { sub: string }, header?: Partial<{ signer: string; client: string; iss: string; exp: number }>, payloadExtra?: Record<string, unknown>): string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function identity(privateKey: KeyObject, kid: string): SigningIdentity {
  return {
    kid,
    token(claims, header = {}, payloadExtra = {}) {
      const exp = header.exp ?? Math.floor(Date.now() / 1000) + 120;
      const h = { alg: 'ES256', typ: 'JWT', kid, signer: ALB_ARN, client: CLIENT_ID, iss: ISSUER, exp, ...header };
      const p = { sub: claims.sub, email: `${claims.sub}@example.com`, exp, iss: h.iss, ...payloadExtra };
      const input = `${b64(h)}.${b64(p)}`;
      const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
      return `${input}.${signature}`;
    },
  };
}

export async function startAlbKeyServer(): Promise<AlbKeyServer> {
  const published = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const pem = published.get(decodeURIComponent((req.url ?? '').slice(1)));
    res.writeHead(pem ? 200 : 404, { 'content-type': 'text/plain' }).end(pem ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const newKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    url,
    fetcher: {
      fetch: async (uri: string) => {
        const kid = uri.split('/').pop()!;
        const response = await fetch(`${url}/${kid}`);
        if (!response.ok) throw new Error(`no key ${kid}`);
        return response.arrayBuffer();
      },
    },
    addKey() {
      const { privateKey, publicKey } = newKey();
      const kid = randomUUID();
      published.set(kid, publicKey.export({ type: 'spki', format: 'pem' }).toString());
      return identity(privateKey, kid);
    },
    unpublishedKey() {
      return identity(newKey().privateKey, randomUUID());
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
