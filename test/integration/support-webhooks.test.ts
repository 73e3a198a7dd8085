import { createHmac } from 'node:crypto';
import type { Touchpoint } from '../../client/app';
import type { RunDetail } from '../../client/runs';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

const ZENDESK_SECRET = 'zendesk-signing-secret-for-tests';
const FRESHDESK_SECRET = 'freshdesk-shared-secret-for-tests';

/** Support systems trigger surveys: signed Zendesk webhooks and Freshdesk rules, on the real stack. */
describe('support-system webhooks', () => {
  let touchpoint: Touchpoint;
  beforeAll(async () => {
    touchpoint = await startTestTouchpoint({
      ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET,
      FRESHDESK_WEBHOOK_SECRET: FRESHDESK_SECRET,
    });
  });
  afterAll(() => touchpoint?.stop());

  /** Signed as Zendesk signs: base64(HMAC-SHA256(secret, timestamp + body)), computed here independently. */
  const zendesk = (body: string, options: { secret?: string; timestamp?: string; headers?: object } = {}) => {
    const timestamp = options.timestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const signature = createHmac('sha256', options.secret ?? ZENDESK_SECRET)
      .update(timestamp + body)
      .digest('base64');
    return fetch(`${touchpoint.url}/v1/webhooks/zendesk`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zendesk-webhook-signature': signature,
        'x-zendesk-webhook-signature-timestamp': timestamp,
        ...options.headers,
      },
      body,
    });
  };
  const freshdesk = (body: unknown, secret?: string) =>
    fetch(`${touchpoint.url}/v1/webhooks/freshdesk`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === undefined ? {} : { 'x-touchpoint-secret': secret }),
      },
      body: JSON.stringify(body),
    });
  const statusChanged = (id: string, ticket: number, requester: number, current: string, previous: string) =>
    JSON.stringify({
      type: 'zen:event-type:ticket.status_changed',
      account_id: 12514403,
      id,
      time: new Date().toISOString(),
      zendesk_event_version: '2022-11-06',
      subject: `zen:ticket:${ticket}`,
      detail: { id: String(ticket), requester_id: String(requester), subject: 'Printer on fire', status: current },
      event: { current, previous },
    });
  const trigger = (ticket: number, overrides: Record<string, unknown> = {}) =>
    JSON.stringify({
      ticket_id: String(ticket),
      status: 'Solved',
      updated_at: '2026-03-01T09:59:58Z',
      subject: 'Printer on fire',
      url: 'acme.zendesk.com/agent/tickets/' + ticket,
      group: 'Hardware',
      agent: 'Anna Agent',
      agent_email: 'anna@acme.example',
      requester: { id: '501', email: 'ada@example.com', name: 'Ada Lovelace', language: 'Deutsch' },
      ...overrides,
    });

  const inbox = async (to: string) =>
    ((await (await fetch(`${touchpoint.url}/v1/inbox?to=${to}`)).json()) as { messages: { subject: string }[] })
      .messages;
  const run = async (id: string) => (await (await fetch(`${touchpoint.url}/v1/runs/${id}`)).json()) as RunDetail;
  const count = async (sql: string, ...params: unknown[]) =>
    (await touchpoint.stores.db.query<{ n: number }>(sql, params))[0].n;
  const counts = async () => ({
    customers: await count('SELECT count(*)::int AS n FROM customers'),
    events: await count('SELECT count(*)::int AS n FROM events'),
  });
  /** Waits a moment so a second (wrong) email would have arrived, then counts. */
  const settledInbox = async (to: string) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return inbox(to);
  };

  describe('Zendesk', () => {
    it('a trigger body for an unknown requester creates the customer and starts the survey; the invitation arrives', async () => {
      const response = await zendesk(trigger(4711));
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({
        source: 'zendesk',
        customerId: 'zendesk-501',
        customerCreated: true,
        eventId: 'zendesk:ticket-4711:solved:2026-03-01T09:59:58.000Z',
        duplicate: false,
        started: ['survey-after-contact/zendesk-501/4711'],
        existing: [],
        signalled: [],
        skipped: [],
      });
      expect(await touchpoint.stores.customers.get('zendesk-501')).toMatchObject({
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        locale: 'de',
        timeZone: 'UTC',
        attributes: { createdBy: 'zendesk-webhook', zendeskId: '501' },
      });
      const [event] = await touchpoint.stores.db.query<{ data: unknown }>('SELECT data FROM events WHERE id = $1', [
        'zendesk:ticket-4711:solved:2026-03-01T09:59:58.000Z',
      ]);
      expect(event.data).toEqual({
        ticketId: '4711',
        subject: 'Printer on fire',
        team: 'Hardware',
        agent: 'Anna Agent',
        agentEmail: 'anna@acme.example',
        ticketUrl: 'https://acme.zendesk.com/agent/tickets/4711',
        source: 'zendesk',
      });
      const messages = await eventually(async () => {
        const list = await inbox('ada@example.com');
        return list.length ? list : undefined;
      }, 'the invitation');
      expect(messages).toHaveLength(1);
    });

    it('the same delivery again (a Zendesk retry) is a duplicate: no second run, no second email', async () => {
      const before = await counts();
      const response = await zendesk(trigger(4711));
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({
        duplicate: true,
        started: [],
        existing: ['survey-after-contact/zendesk-501/4711'],
      });
      expect(await counts()).toEqual(before);
      expect(await settledInbox('ada@example.com')).toHaveLength(1);
    });

    it('another notification of the same solved ticket (new event id) finds the run existing: no second email', async () => {
      // The event subscription's own id, for the same ticket and requester the trigger used.
      const response = await zendesk(statusChanged('01J-EVT-B', 4711, 501, 'SOLVED', 'OPEN'));
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({
        eventId: 'zendesk:01J-EVT-B',
        duplicate: false,
        customerId: 'zendesk-501',
        started: [],
        existing: ['survey-after-contact/zendesk-501/4711'],
      });
      expect(await settledInbox('ada@example.com')).toHaveLength(1);
    });

    it('a wrong signature (tampered body, wrong secret, missing headers) → 401 and nothing recorded', async () => {
      const before = await counts();
      const body = trigger(4800, { requester: { id: '777', email: 'mallory@example.com' } });
      const wrongSecret = await zendesk(body, { secret: 'not-the-secret' });
      expect(wrongSecret.status).toBe(401);
      expect(await wrongSecret.json()).toEqual({
        error: 'unauthorized',
        message: expect.stringMatching(/X-Zendesk-Webhook-Signature does not match.*ZENDESK_WEBHOOK_SECRET/),
        problems: [],
      });
      // Signed, then changed in transit.
      const signedTimestamp = new Date().toISOString();
      const genuine = createHmac('sha256', ZENDESK_SECRET)
        .update(signedTimestamp + trigger(4800))
        .digest('base64');
      const tampered = await zendesk(body, {
        timestamp: signedTimestamp,
        headers: { 'x-zendesk-webhook-signature': genuine },
      });
      expect(tampered.status).toBe(401);
      const unsigned = await fetch(`${touchpoint.url}/v1/webhooks/zendesk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(unsigned.status).toBe(401);
      expect(((await unsigned.json()) as { message: string }).message).toMatch(/missing X-Zendesk-Webhook-Signature/);
      expect(await counts()).toEqual(before);
      expect(await touchpoint.stores.customers.findByEmail('mallory@example.com')).toBeUndefined();
    });

    it('a stale signature (old or in the future) → 401 naming the timestamp and the allowed age, nothing recorded', async () => {
      const before = await counts();
      const old = '2026-01-01T00:00:00Z';
      const response = await zendesk(trigger(4801), { timestamp: old });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toMatch(
        /Timestamp 2026-01-01T00:00:00Z is stale: .* old, more than the allowed 5m \(WEBHOOK_MAX_AGE\)/,
      );
      const future = new Date(Date.now() + 60 * 60_000).toISOString();
      expect((await zendesk(trigger(4801), { timestamp: future })).status).toBe(401);
      expect(await counts()).toEqual(before);
    });

    it('bad JSON or a wrong shape after a valid signature → 400 with the problems, nothing recorded', async () => {
      const before = await counts();
      const notJson = await zendesk('{"ticket_id": ');
      expect(notJson.status).toBe(400);
      expect(((await notJson.json()) as { problems: { path: string }[] }).problems[0].path).toBe('(body)');
      const wrong = await zendesk(JSON.stringify({ ticket_id: '1', status: 'Solved', requester: { email: 'x' } }));
      expect(wrong.status).toBe(400);
      const { problems } = (await wrong.json()) as { problems: { path: string }[] };
      expect(problems.map((p) => p.path).sort()).toEqual(['requester.email', 'updated_at']);
      expect(await counts()).toEqual(before);
    });

    it('an event subscription for an unknown requester (no email in it) → 400 saying how to fix it', async () => {
      const response = await zendesk(statusChanged('01J-EVT-C', 4900, 999, 'SOLVED', 'OPEN'));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        problems: [{ path: 'detail.requester_id', message: expect.stringContaining('PUT /v1/customers/zendesk-999') }],
      });
    });

    it('other statuses are ignored (202), nothing recorded', async () => {
      const before = await counts();
      const response = await zendesk(statusChanged('01J-EVT-D', 4711, 501, 'PENDING', 'OPEN'));
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ ignored: expect.stringContaining('"PENDING"'), ticketId: '4711' });
      expect(await counts()).toEqual(before);
    });

    it("reopened ends the ticket's survey run (outcome exited)", async () => {
      const workflowId = 'survey-after-contact/zendesk-501/4711';
      expect((await run(workflowId)).status).toBe('running');
      const response = await zendesk(statusChanged('01J-EVT-E', 4711, 501, 'OPEN', 'SOLVED'));
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({
        eventId: 'zendesk:01J-EVT-E',
        started: [],
        signalled: [workflowId],
      });
      const ended = await eventually(async () => {
        const detail = await run(workflowId);
        return detail.status === 'completed' ? detail : undefined;
      }, 'the survey run to end');
      expect(ended.state?.outcome).toBe('exited');
      // Solved again later: the survey was once per ticket, so nothing starts.
      const again = await zendesk(statusChanged('01J-EVT-F', 4711, 501, 'SOLVED', 'OPEN'));
      expect(await again.json()).toMatchObject({ started: [], existing: [workflowId] });
    });

    it('finds an existing customer by email, whatever its id', async () => {
      await fetch(`${touchpoint.url}/v1/customers/crm-7`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'grace@example.com', name: 'Grace', locale: 'en' }),
      });
      const response = await zendesk(
        trigger(4712, { requester: { id: '502', email: 'Grace@example.com', name: 'G.', language: 'de' } }),
      );
      expect(await response.json()).toMatchObject({
        customerId: 'crm-7',
        customerCreated: false,
        started: ['survey-after-contact/crm-7/4712'],
      });
      expect(await touchpoint.stores.customers.get('crm-7')).toMatchObject({ name: 'Grace', locale: 'en' });
    });
  });

  describe('Freshdesk', () => {
    const body = {
      ticket_id: 321,
      status: 'Resolved',
      subject: 'Where is my parcel?',
      url: 'https://acme.freshdesk.com/a/tickets/321',
      group: 'Shipping',
      agent: 'Ben Agent',
      requester: { id: 77, email: 'bo@example.com', name: 'Bo' },
    };

    it('without or with a wrong X-Touchpoint-Secret → 401, nothing recorded', async () => {
      const before = await counts();
      const without = await freshdesk(body);
      expect(without.status).toBe(401);
      expect(((await without.json()) as { message: string }).message).toMatch(/missing X-Touchpoint-Secret/);
      expect((await freshdesk(body, 'wrong-secret')).status).toBe(401);
      expect(await counts()).toEqual(before);
    });

    it('with the right header, a resolved ticket starts the survey; resolved then closed starts nothing more', async () => {
      const response = await freshdesk(body, FRESHDESK_SECRET);
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({
        source: 'freshdesk',
        customerId: 'freshdesk-77',
        customerCreated: true,
        eventId: 'freshdesk:ticket-321:solved',
        duplicate: false,
        started: ['survey-after-contact/freshdesk-77/321'],
      });
      await eventually(async () => ((await inbox('bo@example.com')).length ? true : undefined), 'the invitation');
      const closed = await freshdesk({ ...body, status: 5 }, FRESHDESK_SECRET);
      expect(await closed.json()).toMatchObject({ duplicate: true, started: [] });
      expect(await settledInbox('bo@example.com')).toHaveLength(1);
    });
  });

  describe('without secrets', () => {
    let bare: Touchpoint;
    beforeAll(async () => {
      bare = await startTestTouchpoint();
    });
    afterAll(() => bare?.stop());

    it('answers 503 naming the variable, and never accepts an unsigned call', async () => {
      for (const [path, variable] of [
        ['/v1/webhooks/zendesk', 'ZENDESK_WEBHOOK_SECRET'],
        ['/v1/webhooks/freshdesk', 'FRESHDESK_WEBHOOK_SECRET'],
      ]) {
        const response = await fetch(`${bare.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({
          error: 'not_configured',
          message: expect.stringContaining(variable),
        });
      }
      // The rest of the API still parses JSON as before.
      const put = await fetch(`${bare.url}/v1/customers/json-still-works`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'json@example.com' }),
      });
      expect(put.status).toBe(201);
    });
  });
});
