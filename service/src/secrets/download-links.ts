import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SigningKey } from './signing-key';

/** Download links live this long: long enough to follow, short enough that a leaked one soon dies. */
export const LINK_TTL_SECONDS = 300;

function mac(key: Buffer, owner: string, id: string, expires: number): Buffer {
  return createHmac('sha256', key).update(`v1\n${owner}\n${id}\n${expires}`).digest();
}

/** A link to the content of one document, bound to its owner and an expiry, signed with the service's secret. */
export async function signDownload(key: SigningKey, owner: string, id: string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const expires = nowSeconds + LINK_TTL_SECONDS;
  const signature = mac(await key.current(), owner, id, expires).toString('base64url');
  return { url: `/documents/${id}/content?expires=${expires}&signature=${signature}`, expires };
}

/** True when the signature is valid and unexpired; on a mismatch, re-reads a possibly rotated key once. */
export async function verifyDownload(
  key: SigningKey,
  owner: string,
  id: string,
  expires: number,
  signature: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (expires < nowSeconds || expires > nowSeconds + LINK_TTL_SECONDS) return false;
  const given = Buffer.from(signature, 'base64url');
  const check = async () => {
    const expected = mac(await key.current(), owner, id, expires);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (await check()) return true;
  return (await key.refreshIfStale()) && check();
}
