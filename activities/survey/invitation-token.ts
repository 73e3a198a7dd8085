import { createHash } from 'node:crypto';
import { signatureMatches, signPayload } from '../signing';

/**
 * Survey links carry a signed token: the invitation id and an expiry, HMAC-SHA256 signed.
 * The score is *not* signed (it is the customer's choice on the page); the invitation is.
 */
const PURPOSE = 'survey-answer';

export type TokenCheck =
  { ok: true; invitationId: string; expiresAt: Date } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function invitationIdFor(workflowId: string): string {
  return createHash('sha256').update(`survey-invitation:${workflowId}`).digest('base64url').slice(0, 22);
}

const payload = (invitationId: string, expiresAtSeconds: number) => `${invitationId}|${PURPOSE}|${expiresAtSeconds}`;

export function createInvitationToken(secret: string, invitationId: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${invitationId}.${expires}.${signPayload(secret, payload(invitationId, expires))}`;
}

export function verifyInvitationToken(secret: string, token: string, now = new Date()): TokenCheck {
  const match = /^([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, invitationId, expiresText, signature] = match;
  const expires = Number(expiresText);
  if (!signatureMatches(secret, payload(invitationId, expires), signature)) return { ok: false, reason: 'forged' };
  if (expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, invitationId, expiresAt: new Date(expires * 1000) };
}
