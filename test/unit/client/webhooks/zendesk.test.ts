import { createHmac } from 'node:crypto';
import { ZodError } from 'zod';
import { InputError } from '../../../../model/validation';
import { WebhookUnauthorized } from '../../../../client/webhooks/ticket-events';
import { parseZendeskWebhook, verifyZendeskSignature, zendeskSignature } from '../../../../client/webhooks/zendesk';

/**
 * A fixed vector, computed once outside this code and pasted literally:
 *   printf '%s%s' "$TIMESTAMP" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
 */
const SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const TIMESTAMP = '2026-03-01T10:00:00Z';
const BODY =
  '{"type":"zen:event-type:ticket.status_changed","id":"01J0-EVT-1","time":"2026-03-01T09:59:58Z",' +
  '"subject":"zen:ticket:4711","detail":{"id":"4711","requester_id":"900","subject":"Printer on fire"},' +
  '"event":{"current":"SOLVED","previous":"OPEN"}}';
const SIGNATURE = '03Kt/6ZRMpa9nr6x7lB8hMe+C7BlWpTsgydpTrIikfM=';

const NOW = Date.parse(TIMESTAMP) + 30_000;
const FIVE_MINUTES = 5 * 60_000;

const verify = (overrides: Partial<Parameters<typeof verifyZendeskSignature>[0]> = {}) =>
  verifyZendeskSignature({
    secret: SECRET,
    rawBody: Buffer.from(BODY),
    signature: SIGNATURE,
    timestamp: TIMESTAMP,
    maxAgeMs: FIVE_MINUTES,
    now: NOW,
    ...overrides,
  });
const refusal = (overrides: Parameters<typeof verify>[0]) => {
  try {
    verify(overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookUnauthorized);
    return (error as Error).message;
  }
  throw new Error('expected the request to be refused');
};

describe('Zendesk signature', () => {
  it('matches the vector computed independently (HMAC-SHA256 of timestamp + body, base64)', () => {
    expect(
      createHmac('sha256', SECRET)
        .update(TIMESTAMP + BODY)
        .digest('base64'),
    ).toBe(SIGNATURE);
    expect(zendeskSignature(SECRET, TIMESTAMP, Buffer.from(BODY))).toBe(SIGNATURE);
  });

  it('accepts the valid vector', () => {
    expect(() => verify()).not.toThrow();
  });

  it('refuses a tampered body, even by one byte of white space', () => {
    expect(refusal({ rawBody: Buffer.from(BODY.replace('SOLVED', 'OPENED')) })).toMatch(/does not match/);
    expect(refusal({ rawBody: Buffer.from(`${BODY} `) })).toMatch(/does not match/);
  });

  it('refuses the right body signed with another secret, and names the variable to check', () => {
    expect(refusal({ secret: 'another-secret' })).toMatch(/does not match.*ZENDESK_WEBHOOK_SECRET/);
  });

  it('refuses a signature over another timestamp (the timestamp is part of what is signed)', () => {
    expect(refusal({ timestamp: '2026-03-01T10:00:01Z' })).toMatch(/does not match/);
  });

  it('refuses garbage and truncated signatures', () => {
    expect(refusal({ signature: 'not base64 at all' })).toMatch(/does not match/);
    expect(refusal({ signature: SIGNATURE.slice(0, -4) })).toMatch(/does not match/);
  });

  it('refuses missing headers, naming them', () => {
    expect(refusal({ signature: undefined })).toMatch(/missing X-Zendesk-Webhook-Signature:/);
    expect(refusal({ timestamp: undefined })).toMatch(/missing X-Zendesk-Webhook-Signature-Timestamp/);
    expect(refusal({ signature: '', timestamp: '' })).toMatch(
      /missing X-Zendesk-Webhook-Signature and X-Zendesk-Webhook-Signature-Timestamp/,
    );
  });

  it('refuses a validly signed but stale request, naming the timestamp and the allowed age', () => {
    const message = refusal({ now: Date.parse(TIMESTAMP) + FIVE_MINUTES + 1000 });
    expect(message).toContain(TIMESTAMP);
    expect(message).toMatch(/stale: it is 301s old, more than the allowed 5m \(WEBHOOK_MAX_AGE\)/);
  });

  it('refuses a timestamp too far in the future as well', () => {
    expect(refusal({ now: Date.parse(TIMESTAMP) - 10 * 60_000 })).toMatch(/stale: it is 10m in the future/);
  });

  it('accepts a request right at the edge of the window', () => {
    expect(() => verify({ now: Date.parse(TIMESTAMP) + FIVE_MINUTES })).not.toThrow();
    expect(() => verify({ now: Date.parse(TIMESTAMP) - FIVE_MINUTES })).not.toThrow();
  });
});

describe('Zendesk payloads', () => {
  it('reads the ticket.status_changed event subscription (solved)', () => {
    expect(parseZendeskWebhook(Buffer.from(BODY))).toEqual({
      source: 'zendesk',
      eventId: '01J0-EVT-1',
      ticketId: '4711',
      status: 'solved',
      rawStatus: 'SOLVED',
      requester: { externalId: '900' },
      subject: 'Printer on fire',
      occurredAt: '2026-03-01T09:59:58.000Z',
    });
  });

  const statusChanged = (current: unknown, previous: unknown) =>
    parseZendeskWebhook(
      Buffer.from(
        JSON.stringify({
          ...JSON.parse(BODY),
          event: { current, previous },
          detail: { id: 4711, requester_id: 900 },
        }),
      ),
    );

  it('maps solved → open/pending/hold to reopened, other changes to other', () => {
    expect(statusChanged('OPEN', 'SOLVED').status).toBe('reopened');
    expect(statusChanged('PENDING', 'SOLVED').status).toBe('reopened');
    expect(statusChanged('HOLD', 'SOLVED').status).toBe('reopened');
    expect(statusChanged('CLOSED', 'SOLVED').status).toBe('other'); // auto-close after solved: no new contact
    expect(statusChanged('PENDING', 'OPEN').status).toBe('other');
    expect(statusChanged({ status: 'SOLVED' }, { status: 'OPEN' }).status).toBe('solved');
  });

  it('takes numeric ids as well as strings', () => {
    const event = statusChanged('SOLVED', 'OPEN');
    expect(event).toMatchObject({ ticketId: '4711', requester: { externalId: '900' } });
  });

  it('reports other event types as other, for the "ignored" answer', () => {
    const event = parseZendeskWebhook(
      Buffer.from(
        JSON.stringify({ type: 'zen:event-type:ticket.priority_changed', id: 'e2', subject: 'zen:ticket:5' }),
      ),
    );
    expect(event).toMatchObject({
      status: 'other',
      rawStatus: 'zen:event-type:ticket.priority_changed',
      ticketId: '5',
    });
  });

  it('names the wrong fields of a status_changed event', () => {
    const body = { ...JSON.parse(BODY), subject: 'ticket 4711', detail: { id: '4711' } };
    try {
      parseZendeskWebhook(Buffer.from(JSON.stringify(body)));
      throw new Error('expected a ZodError');
    } catch (error) {
      expect(error).toBeInstanceOf(ZodError);
      expect((error as ZodError).issues.map((i) => i.path.join('.')).sort()).toEqual([
        'detail.requester_id',
        'subject',
      ]);
    }
  });

  it('rejects a body that is not JSON with path (body)', () => {
    expect(() => parseZendeskWebhook(Buffer.from('{"ticket_id": '))).toThrow(InputError);
  });

  const trigger = {
    ticket_id: '4711',
    status: 'Solved',
    updated_at: '2026-03-01T09:59:58Z',
    subject: 'Printer on fire',
    url: 'acme.zendesk.com/agent/tickets/4711',
    group: 'Hardware',
    agent: 'Anna Agent',
    agent_email: 'anna@acme.example',
    requester: { id: '900', email: 'ada@example.com', name: 'Ada Lovelace', language: 'Deutsch' },
  };

  it('reads the trigger body (placeholders rendered)', () => {
    expect(parseZendeskWebhook(Buffer.from(JSON.stringify(trigger)))).toEqual({
      source: 'zendesk',
      eventId: 'ticket-4711:solved:2026-03-01T09:59:58.000Z',
      ticketId: '4711',
      status: 'solved',
      rawStatus: 'Solved',
      requester: { externalId: '900', email: 'ada@example.com', name: 'Ada Lovelace', locale: 'de' },
      subject: 'Printer on fire',
      team: 'Hardware',
      agent: 'Anna Agent',
      agentEmail: 'anna@acme.example',
      ticketUrl: 'https://acme.zendesk.com/agent/tickets/4711',
      occurredAt: '2026-03-01T09:59:58.000Z',
    });
  });

  it('treats empty placeholders as absent and maps a reopening trigger', () => {
    const event = parseZendeskWebhook(
      Buffer.from(
        JSON.stringify({
          ...trigger,
          status: 'Open',
          previous_status: 'solved',
          group: '',
          agent: '',
          agent_email: '',
          requester: { id: '', email: 'ada@example.com', name: '', language: 'en-US' },
        }),
      ),
    );
    expect(event).toMatchObject({ status: 'reopened', requester: { email: 'ada@example.com', locale: 'en-US' } });
    expect(event.team).toBeUndefined();
    expect(event.agent).toBeUndefined();
    expect(event.requester.externalId).toBeUndefined();
  });

  it('names the missing fields of a trigger body', () => {
    try {
      parseZendeskWebhook(Buffer.from(JSON.stringify({ ticket_id: '1', status: 'Solved', requester: {} })));
      throw new Error('expected a ZodError');
    } catch (error) {
      expect((error as ZodError).issues.map((i) => i.path.join('.')).sort()).toEqual(['requester.email', 'updated_at']);
    }
  });
});
