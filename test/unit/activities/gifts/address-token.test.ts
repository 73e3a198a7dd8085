import { createAddressToken, verifyAddressToken } from '../../../../activities/gifts/address-token';

const SECRET = 'gift-test-secret-0123456789abcdef';
const KEY = 'thank-you-gift/anna/fifth-order/gift';
const NOW = new Date('2026-11-23T10:00:00Z');
const IN_14_DAYS = new Date('2026-12-07T10:00:00Z');

describe('address-confirmation tokens', () => {
  it('carry the gift key until they expire', () => {
    const token = createAddressToken(SECRET, KEY, IN_14_DAYS);
    expect(verifyAddressToken(SECRET, token, NOW)).toEqual({ ok: true, giftKey: KEY, expiresAt: IN_14_DAYS });
    expect(verifyAddressToken(SECRET, token, IN_14_DAYS)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse another secret, another key, a later expiry and garbage', () => {
    const token = createAddressToken(SECRET, KEY, IN_14_DAYS);
    const [, expires, signature] = token.split('.');
    expect(verifyAddressToken('another-secret-0123456789abcdef', token, NOW)).toEqual({ ok: false, reason: 'forged' });
    const otherKey = Buffer.from('thank-you-gift/bob/fifth-order/gift').toString('base64url');
    expect(verifyAddressToken(SECRET, `${otherKey}.${expires}.${signature}`, NOW)).toEqual({
      ok: false,
      reason: 'forged',
    });
    const [key] = token.split('.');
    expect(verifyAddressToken(SECRET, `${key}.${Number(expires) + 86400}.${signature}`, NOW)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(verifyAddressToken(SECRET, 'not-a-token', NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});
