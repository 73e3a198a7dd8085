import { signatureMatches, signPayload } from '../signing';

/**
 * The address-confirmation link of a physical gift carries the gift's ledger key and an expiry (the end of
 * the run's wait), HMAC-SHA256 signed: only Touchpoint can make one, and it stops working when the wait ends.
 */
const PURPOSE = 'gift-address';

export type AddressTokenCheck =
  { ok: true; giftKey: string; expiresAt: Date } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const payload = (giftKey: string, expiresAtSeconds: number) => `${giftKey}|${PURPOSE}|${expiresAtSeconds}`;

export function createAddressToken(secret: string, giftKey: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const key = Buffer.from(giftKey).toString('base64url');
  return `${key}.${expires}.${signPayload(secret, payload(giftKey, expires))}`;
}

export function verifyAddressToken(secret: string, token: string, now = new Date()): AddressTokenCheck {
  const match = /^([A-Za-z0-9_-]{1,400})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, key, expiresText, signature] = match;
  const giftKey = Buffer.from(key, 'base64url').toString();
  const expires = Number(expiresText);
  if (!signatureMatches(secret, payload(giftKey, expires), signature)) return { ok: false, reason: 'forged' };
  if (expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, giftKey, expiresAt: new Date(expires * 1000) };
}
