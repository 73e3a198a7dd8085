import { createHash, timingSafeEqual } from 'node:crypto';
import {
  FreshdeskBody,
  freshdeskStatus,
  localeFrom,
  ticketUrlFrom,
  type SupportTicketEvent,
} from '../../model/support-webhook';
import { parseJsonBody, WebhookUnauthorized } from './ticket-events';

/** Freshdesk webhooks are not signed: the automation rule sends this custom header with a shared secret. */
export const FRESHDESK_SECRET_HEADER = 'x-touchpoint-secret';

/** Throws WebhookUnauthorized unless the header carries the configured secret (compared in constant time). */
export function verifyFreshdeskSecret(secret: string, given: string | undefined): void {
  if (!given) {
    throw new WebhookUnauthorized(
      'missing X-Touchpoint-Secret: add it as a custom header to the automation rule\'s "Trigger webhook" action, ' +
        'with the value of FRESHDESK_WEBHOOK_SECRET',
    );
  }
  // Hash both sides first: equal-length inputs for timingSafeEqual without revealing the secret's length.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  if (!timingSafeEqual(digest(given.trim()), digest(secret))) {
    throw new WebhookUnauthorized(
      'the X-Touchpoint-Secret header does not match FRESHDESK_WEBHOOK_SECRET: copy the value again into the ' +
        'automation rule\'s "Trigger webhook" action',
    );
  }
}

/** A verified Freshdesk body (docs/support-systems.md) as a SupportTicketEvent; InputError (400) otherwise. */
export function parseFreshdeskWebhook(rawBody: Buffer, now = new Date()): SupportTicketEvent {
  const body = FreshdeskBody.parse(parseJsonBody(rawBody));
  const status = freshdeskStatus(body.status, body.previous_status);
  const statusPart = status === 'other' ? body.status : status;
  return {
    source: 'freshdesk',
    // Freshdesk gives no event id; without one, the ticket and what happened to it are the key (plus the
    // change time if the rule sends it), so a retry is recognised as the same notification.
    eventId: body.event_id ?? `ticket-${body.ticket_id}:${statusPart}${body.updated_at ? `:${body.updated_at}` : ''}`,
    ticketId: body.ticket_id,
    status,
    rawStatus: body.status,
    requester: {
      externalId: body.requester.id,
      email: body.requester.email,
      name: body.requester.name,
      locale: localeFrom(body.requester.language),
    },
    subject: body.subject,
    team: body.group,
    agent: body.agent ?? body.agent_email,
    agentEmail: body.agent_email,
    ticketUrl: ticketUrlFrom(body.url),
    occurredAt: body.updated_at ?? now.toISOString(),
  };
}
