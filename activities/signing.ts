import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of `payload`, base64url: what links carry to prove Touchpoint made them. */
export function signPayload(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/**
 * Whether `signature` is the signature of `payload`. Compares the canonical encoding in constant time,
 * so exactly one string verifies (base64url's spare bits are not ignored).
 */
export function signatureMatches(secret: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(signPayload(secret, payload));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
