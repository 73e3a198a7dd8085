import {
  createInvitationToken,
  invitationIdFor,
  verifyInvitationToken,
} from '../../../../activities/survey/invitation-token';

const SECRET = 'a'.repeat(32);
const OTHER_SECRET = 'b'.repeat(32);
const EXPIRES = new Date('2030-01-01T00:00:00Z');
const BEFORE = new Date('2029-12-31T23:59:59Z');

/** Replaces one dot-separated part of a token, keeping the others (and so the original signature). */
const withPart = (token: string, index: number, value: string) => {
  const parts = token.split('.');
  parts[index] = value;
  return parts.join('.');
};

describe('invitation tokens', () => {
  it('round-trips: a fresh token verifies with the invitation id and expiry it was made with', () => {
    const token = createInvitationToken(SECRET, 'inv-123', EXPIRES);
    expect(token).toMatch(/^inv-123\.1893456000\.[A-Za-z0-9_-]{43}$/);
    expect(verifyInvitationToken(SECRET, token, BEFORE)).toEqual({
      ok: true,
      invitationId: 'inv-123',
      expiresAt: EXPIRES,
    });
  });

  it('uses the current time when no `now` is given', () => {
    const future = createInvitationToken(SECRET, 'inv', new Date(Date.now() + 60_000));
    const past = createInvitationToken(SECRET, 'inv', new Date(Date.now() - 60_000));
    expect(verifyInvitationToken(SECRET, future).ok).toBe(true);
    expect(verifyInvitationToken(SECRET, past)).toEqual({ ok: false, reason: 'expired' });
  });

  it('keeps the expiry to whole seconds', () => {
    const token = createInvitationToken(SECRET, 'inv', new Date('2030-01-01T00:00:00.999Z'));
    expect(verifyInvitationToken(SECRET, token, BEFORE)).toMatchObject({ ok: true, expiresAt: EXPIRES });
  });

  it("calls a token signed with another secret 'forged'", () => {
    const token = createInvitationToken(OTHER_SECRET, 'inv-123', EXPIRES);
    expect(verifyInvitationToken(SECRET, token, BEFORE)).toEqual({ ok: false, reason: 'forged' });
  });

  it("calls a token whose invitation id was changed 'forged'", () => {
    const token = createInvitationToken(SECRET, 'inv-123', EXPIRES);
    expect(verifyInvitationToken(SECRET, withPart(token, 0, 'inv-124'), BEFORE)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it("calls a token whose expiry was extended 'forged'", () => {
    const token = createInvitationToken(SECRET, 'inv-123', EXPIRES);
    const later = String(EXPIRES.getTime() / 1000 + 86_400);
    expect(verifyInvitationToken(SECRET, withPart(token, 1, later), BEFORE)).toEqual({ ok: false, reason: 'forged' });
  });

  it("calls a token with a changed signature character 'forged'", () => {
    const token = createInvitationToken(SECRET, 'inv-123', EXPIRES);
    const signature = token.split('.')[2];
    // Change the first character: it carries 6 full signature bits (the last one carries only 4).
    const changed = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect(verifyInvitationToken(SECRET, withPart(token, 2, changed), BEFORE)).toEqual({ ok: false, reason: 'forged' });
  });

  it("checks the signature before the expiry: an expired forgery is 'forged', not 'expired'", () => {
    const token = createInvitationToken(OTHER_SECRET, 'inv-123', EXPIRES);
    expect(verifyInvitationToken(SECRET, token, new Date('2031-01-01'))).toEqual({ ok: false, reason: 'forged' });
  });

  it("is 'expired' from the expiry second on, judged by `now`", () => {
    const token = createInvitationToken(SECRET, 'inv-123', EXPIRES);
    expect(verifyInvitationToken(SECRET, token, new Date(EXPIRES.getTime() - 1)).ok).toBe(true);
    expect(verifyInvitationToken(SECRET, token, EXPIRES)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyInvitationToken(SECRET, token, new Date('2031-01-01'))).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not a token at all'],
    ['two parts', 'inv.1893456000'],
    ['four parts', `inv.1893456000.${'A'.repeat(43)}.x`],
    ['a short signature', `inv.1893456000.${'A'.repeat(42)}`],
    ['a long signature', `inv.1893456000.${'A'.repeat(44)}`],
    ['a non-numeric expiry', `inv.soon.${'A'.repeat(43)}`],
    ['a negative expiry', `inv.-5.${'A'.repeat(43)}`],
    ['a 65-character invitation id', `${'i'.repeat(65)}.1893456000.${'A'.repeat(43)}`],
    ['padding in the signature', `inv.1893456000.${'A'.repeat(42)}=`],
  ])("calls a token with %s 'malformed'", (_, token) => {
    expect(verifyInvitationToken(SECRET, token, BEFORE)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('invitationIdFor', () => {
  it('is deterministic for a workflow id', () => {
    expect(invitationIdFor('survey-after-contact/anna/T-42')).toBe(invitationIdFor('survey-after-contact/anna/T-42'));
  });

  it('differs per workflow id', () => {
    const ids = new Set(['a/b', 'a/b/1', 'a/b/2', 'a/c'].map(invitationIdFor));
    expect(ids.size).toBe(4);
  });

  it('is a 22-character base64url id that fits in a token', () => {
    const id = invitationIdFor('survey-after-contact/anna/T-42');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const token = createInvitationToken(SECRET, id, EXPIRES);
    expect(verifyInvitationToken(SECRET, token, BEFORE)).toMatchObject({ ok: true, invitationId: id });
  });

  it('does not reveal the workflow id', () => {
    expect(invitationIdFor('survey-after-contact/anna/T-42')).not.toContain('anna');
  });
});

describe('token canonical form', () => {
  it('accepts exactly one spelling of a signature (base64url spare bits are not ignored)', () => {
    const secret = 'canonical-secret-0123456789abcdef0123456789';
    const token = createInvitationToken(secret, 'inv-1', new Date(Date.now() + 60_000));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variants = [...alphabet].map((c) => token.slice(0, -1) + c);
    expect(variants.filter((variant) => verifyInvitationToken(secret, variant).ok)).toEqual([token]);
  });
});
