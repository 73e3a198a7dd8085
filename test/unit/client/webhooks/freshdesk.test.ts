import { ZodError } from 'zod';
import { parseFreshdeskWebhook, verifyFreshdeskSecret } from '../../../../client/webhooks/freshdesk';
import { WebhookUnauthorized } from '../../../../client/webhooks/ticket-events';

const SECRET = 'freshdesk-shared-secret-0123456789';
const body = (overrides: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      ticket_id: 321,
      status: 4,
      subject: 'Where is my parcel?',
      url: 'https://acme.freshdesk.com/a/tickets/321',
      group: 'Shipping',
      agent: 'Ben Agent',
      requester: { id: 77, email: 'bo@example.com', name: 'Bo', language: 'sv' },
      ...overrides,
    }),
  );
const NOW = new Date('2026-03-01T12:00:00Z');

describe('Freshdesk secret header', () => {
  it('accepts the configured secret', () => {
    expect(() => verifyFreshdeskSecret(SECRET, SECRET)).not.toThrow();
  });

  it('refuses a missing or wrong secret (also a prefix of it), naming the header', () => {
    expect(() => verifyFreshdeskSecret(SECRET, undefined)).toThrow(/missing X-Touchpoint-Secret/);
    expect(() => verifyFreshdeskSecret(SECRET, 'wrong')).toThrow(WebhookUnauthorized);
    expect(() => verifyFreshdeskSecret(SECRET, SECRET.slice(0, -1))).toThrow(/does not match FRESHDESK_WEBHOOK_SECRET/);
  });
});

describe('Freshdesk payloads', () => {
  it('maps status 4 (resolved) and 5 (closed) to solved, numbers or names', () => {
    expect(parseFreshdeskWebhook(body(), NOW)).toEqual({
      source: 'freshdesk',
      eventId: 'ticket-321:solved',
      ticketId: '321',
      status: 'solved',
      rawStatus: '4',
      requester: { externalId: '77', email: 'bo@example.com', name: 'Bo', locale: 'sv' },
      subject: 'Where is my parcel?',
      team: 'Shipping',
      agent: 'Ben Agent',
      ticketUrl: 'https://acme.freshdesk.com/a/tickets/321',
      occurredAt: NOW.toISOString(),
    });
    expect(parseFreshdeskWebhook(body({ status: 5 })).status).toBe('solved');
    expect(parseFreshdeskWebhook(body({ status: 'Resolved' })).status).toBe('solved');
    expect(parseFreshdeskWebhook(body({ status: 'Closed' })).status).toBe('solved');
  });

  it('dedups resolved then closed as one notification (same ticket, same meaning)', () => {
    expect(parseFreshdeskWebhook(body({ status: 4 })).eventId).toBe(parseFreshdeskWebhook(body({ status: 5 })).eventId);
  });

  it('uses event_id, else updated_at, to tell notifications apart', () => {
    expect(parseFreshdeskWebhook(body({ event_id: 'fd-9' })).eventId).toBe('fd-9');
    const event = parseFreshdeskWebhook(body({ updated_at: '2026-03-01T11:00:00Z' }));
    expect(event.eventId).toBe('ticket-321:solved:2026-03-01T11:00:00.000Z');
    expect(event.occurredAt).toBe('2026-03-01T11:00:00.000Z');
  });

  it('maps a reopening (resolved/closed → open/pending) and ignores other statuses', () => {
    expect(parseFreshdeskWebhook(body({ status: 2, previous_status: 4 })).status).toBe('reopened');
    expect(parseFreshdeskWebhook(body({ status: 'Pending', previous_status: 'Closed' })).status).toBe('reopened');
    expect(parseFreshdeskWebhook(body({ status: 2 })).status).toBe('other');
    expect(parseFreshdeskWebhook(body({ status: 'Waiting on Customer' })).status).toBe('other');
  });

  it('names the wrong fields', () => {
    try {
      parseFreshdeskWebhook(body({ ticket_id: undefined, requester: { email: 'nope' } }));
      throw new Error('expected a ZodError');
    } catch (error) {
      expect(error).toBeInstanceOf(ZodError);
      expect((error as ZodError).issues.map((i) => i.path.join('.')).sort()).toEqual(['requester.email', 'ticket_id']);
    }
  });
});
