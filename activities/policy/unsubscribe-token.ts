import { ContactCategory } from '../../model/contact-policy';
import { signatureMatches, signPayload } from '../signing';

/**
 * Unsubscribe and preference links carry the customer and the category of the message, signed.
 * They do not expire: a years-old newsletter's unsubscribe link must still work.
 */
const PURPOSE = 'unsubscribe';

export type UnsubscribeCategory = Exclude<ContactCategory, 'transactional'>;
export type UnsubscribeTokenCheck =
  { ok: true; customerId: string; category: UnsubscribeCategory } | { ok: false; reason: 'malformed' | 'forged' };

const payload = (customerId: string, category: string) => `${customerId}|${PURPOSE}|${category}`;

export function createUnsubscribeToken(secret: string, customerId: string, category: UnsubscribeCategory): string {
  const id = Buffer.from(customerId).toString('base64url');
  return `${id}.${category}.${signPayload(secret, payload(customerId, category))}`;
}

export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeTokenCheck {
  const match = /^([A-Za-z0-9_-]{1,300})\.(survey|marketing)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, id, category, signature] = match;
  const customerId = Buffer.from(id, 'base64url').toString();
  if (!signatureMatches(secret, payload(customerId, category), signature)) return { ok: false, reason: 'forged' };
  return { ok: true, customerId, category: ContactCategory.exclude(['transactional']).parse(category) };
}
