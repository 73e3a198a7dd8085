import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  localeFrom,
  ticketUrlFrom,
  ZendeskStatusChanged,
  ZendeskTriggerBody,
  zendeskStatus,
  type SupportTicketEvent,
} from '../../model/support-webhook';
import { parseJsonBody, WebhookUnauthorized } from './ticket-events';

export const ZENDESK_SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const ZENDESK_TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

/** base64(HMAC-SHA256(secret, timestamp + raw body)): what Zendesk puts into X-Zendesk-Webhook-Signature. */
export function zendeskSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

/**
 * Throws WebhookUnauthorized unless the request carries Zendesk's signature of exactly these bytes, made
 * within `maxAgeMs` of `now` (either way: a timestamp far in the future is as suspect as an old one, and
 * bounding both makes a captured request useless for replay after the window).
 */
export function verifyZendeskSignature(options: {
  secret: string;
  rawBody: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  maxAgeMs: number;
  now?: number;
}): void {
  const { secret, rawBody, signature, timestamp, maxAgeMs } = options;
  if (!signature || !timestamp) {
    const missing = [!signature && 'X-Zendesk-Webhook-Signature', !timestamp && 'X-Zendesk-Webhook-Signature-Timestamp']
      .filter(Boolean)
      .join(' and ');
    throw new WebhookUnauthorized(
      `missing ${missing}: only signed Zendesk webhooks are accepted (Zendesk adds both headers to every webhook request)`,
    );
  }
  // Compared as text: decoding base64 first would accept sloppy variants (Node skips invalid characters).
  const expected = Buffer.from(zendeskSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature.trim());
  // timingSafeEqual needs equal lengths; a length mismatch is a mismatch (and says nothing about the secret).
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookUnauthorized(
      'the X-Zendesk-Webhook-Signature does not match: check that ZENDESK_WEBHOOK_SECRET is the signing secret ' +
        'Zendesk shows for this webhook (Admin Center > Webhooks > the webhook > Signing secret)',
    );
  }
  // Checked after the signature, so an unsigned caller learns nothing about our clock or window.
  const signedAt = Date.parse(timestamp);
  const now = options.now ?? Date.now();
  if (Number.isNaN(signedAt)) {
    throw new WebhookUnauthorized(`the X-Zendesk-Webhook-Signature-Timestamp "${timestamp}" is not an ISO-8601 time`);
  }
  if (Math.abs(now - signedAt) > maxAgeMs) {
    throw new WebhookUnauthorized(
      `the X-Zendesk-Webhook-Signature-Timestamp ${timestamp} is stale: it is ${describeSkew(now - signedAt)}, ` +
        `more than the allowed ${formatAge(maxAgeMs)} (WEBHOOK_MAX_AGE); check the server clock if this repeats`,
    );
  }
}

/**
 * A verified Zendesk body as a SupportTicketEvent. Two shapes: the `ticket.status_changed` event
 * subscription (Zendesk's own payload) and the trigger body from docs/support-systems.md.
 * Throws InputError (400) on anything else.
 */
export function parseZendeskWebhook(rawBody: Buffer): SupportTicketEvent {
  const body = parseJsonBody(rawBody);
  const isEventSubscription =
    typeof body === 'object' && body !== null && typeof (body as { type?: unknown }).type === 'string';
  return isEventSubscription ? fromStatusChanged(body) : fromTrigger(body);
}

function fromStatusChanged(body: unknown): SupportTicketEvent {
  const type = (body as { type: string }).type;
  if (type !== 'zen:event-type:ticket.status_changed') {
    // A webhook subscribed to more events than it needs: not an error, but nothing for Touchpoint.
    return ignoredSubscription(body, type);
  }
  const event = ZendeskStatusChanged.parse(body);
  return {
    source: 'zendesk',
    eventId: event.id,
    ticketId: event.detail.id,
    status: zendeskStatus(event.event.current, event.event.previous),
    rawStatus: event.event.current,
    // The event carries the requester's Zendesk user id but no email: the customer must be known
    // (as zendesk-<requester_id>); see docs/support-systems.md.
    requester: { externalId: event.detail.requester_id },
    subject: event.detail.subject,
    occurredAt: event.time,
  };
}

function ignoredSubscription(body: unknown, type: string): SupportTicketEvent {
  const parsed = z
    .object({ id: z.string().min(1), time: z.string().optional(), subject: z.string().optional() })
    .loose()
    .parse(body);
  return {
    source: 'zendesk',
    eventId: parsed.id,
    ticketId: parsed.subject?.replace(/^zen:ticket:/, '') ?? '',
    status: 'other',
    rawStatus: type,
    requester: {},
    occurredAt: new Date().toISOString(),
  };
}

function fromTrigger(body: unknown): SupportTicketEvent {
  const trigger = ZendeskTriggerBody.parse(body);
  const status = zendeskStatus(trigger.status, trigger.previous_status);
  return {
    source: 'zendesk',
    // One notification = one ticket changing to one status at one moment: a retry repeats all three.
    eventId: `ticket-${trigger.ticket_id}:${status === 'other' ? trigger.status : status}:${trigger.updated_at}`,
    ticketId: trigger.ticket_id,
    status,
    rawStatus: trigger.status,
    requester: {
      externalId: trigger.requester.id,
      email: trigger.requester.email,
      name: trigger.requester.name,
      locale: localeFrom(trigger.requester.language),
    },
    subject: trigger.subject,
    team: trigger.group,
    agent: trigger.agent ?? trigger.agent_email,
    agentEmail: trigger.agent_email,
    ticketUrl: ticketUrlFrom(trigger.url),
    occurredAt: trigger.updated_at,
  };
}

function describeSkew(skewMs: number): string {
  return skewMs >= 0 ? `${formatAge(skewMs)} old` : `${formatAge(-skewMs)} in the future`;
}

function formatAge(ms: number): string {
  // Whole units when exact ("5m"), else seconds while that stays readable, so "301s" is not shown as "5m".
  if (ms < 1000) return `${ms} ms`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms < 600_000) return `${Math.round(ms / 1000)}s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)}m`;
  return `${Math.round(ms / 3_600_000)}h`;
}
