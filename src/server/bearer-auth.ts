/**
 * Bearer-token check for `aisctl serve` on a non-loopback address. The presented token and the
 * expected one are both hashed (SHA-256) and the digests compared with timingSafeEqual: equal
 * lengths whatever was sent, so neither the comparison time nor an early length check tells
 * an attacker how much of a guess was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Paths open without a token: probes and scrapers rarely carry credentials. */
export const UNAUTHENTICATED_PATHS: ReadonlySet<string> = new Set(['/healthz', '/metrics']);

/** Shortest token accepted from --token-file: 16 characters of random text resist guessing over HTTP. */
export const MIN_TOKEN_CHARS = 16;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The token in an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1] ?? null;
}

/** A checker for the `Authorization` header of each request. */
export function createBearerCheck(token: string): (authorization: string | undefined) => boolean {
  if (token.length < MIN_TOKEN_CHARS) throw new Error(`a bearer token must have at least ${MIN_TOKEN_CHARS} characters`);
  const expected = digest(token);
  return (authorization) => {
    const given = bearerToken(authorization);
    // Hash even a missing token, so a request without one takes as long as a wrong one.
    return timingSafeEqual(digest(given ?? ''), expected) && given !== null;
  };
}
