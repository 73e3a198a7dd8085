import { createUnsubscribeToken, verifyUnsubscribeToken } from '../../../../activities/policy/unsubscribe-token';

const SECRET = 'unit-secret-0123456789abcdef0123456789';

describe('unsubscribe tokens', () => {
  it('carry the customer and the category, and verify', () => {
    const token = createUnsubscribeToken(SECRET, 'cust-ä.1', 'marketing');
    expect(verifyUnsubscribeToken(SECRET, token)).toEqual({ ok: true, customerId: 'cust-ä.1', category: 'marketing' });
  });

  it('refuse a token signed with another secret, or with its category or customer changed', () => {
    const token = createUnsubscribeToken(SECRET, 'c-1', 'survey');
    expect(verifyUnsubscribeToken('another-secret-0123456789abcdef01234', token)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(verifyUnsubscribeToken(SECRET, token.replace('.survey.', '.marketing.'))).toEqual({
      ok: false,
      reason: 'forged',
    });
    const other = Buffer.from('c-2').toString('base64url');
    expect(verifyUnsubscribeToken(SECRET, token.replace(/^[^.]+/, other))).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuse malformed tokens and the transactional category', () => {
    expect(verifyUnsubscribeToken(SECRET, 'nonsense')).toEqual({ ok: false, reason: 'malformed' });
    const token = createUnsubscribeToken(SECRET, 'c-1', 'survey').replace('.survey.', '.transactional.');
    expect(verifyUnsubscribeToken(SECRET, token)).toEqual({ ok: false, reason: 'malformed' });
  });
});
