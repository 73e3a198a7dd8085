import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Touchpoint } from '../../client/app';
import type { RouteResult } from '../../client/event-router';
import { parseJourney } from '../../client/journey-catalog';
import type { RunDetail } from '../../client/runs';
import { eventually, shortenedCatalog, startTestTouchpoint } from '../support/touchpoint';

/** A local HTTP endpoint for webhook steps: answers with the next queued status, records each request. */
function startEndpoint() {
  const requests: { headers: IncomingMessage['headers']; body: string }[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      requests.push({ headers: request.headers, body });
      response.statusCode = statuses.shift() ?? 200;
      response.end(response.statusCode >= 400 ? 'no thanks' : 'ok');
    });
  });
  return new Promise<{ url: string; requests: typeof requests; statuses: number[]; close(): Promise<void> }>(
    (resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          requests,
          statuses,
          close: () => new Promise((done) => server.close(() => done())),
        }),
      ),
  );
}

describe('the built-in journeys and the side-effect steps, on a real Temporal server', () => {
  let touchpoint: Touchpoint;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;

  beforeAll(async () => {
    endpoint = await startEndpoint();
    const hook = parseJourney(
      `id: hook
version: 1
name: Tell the shop
category: transactional
trigger: { event: ticket.solved, key: data.ticketId }
steps:
  - id: notify
    type: webhook
    url: ${endpoint.url}/touchpoint
    body: '{"customer": "{{customerId}}", "ticket": {{json event.data.ticketId}} }'
    onFailure: refused
  - { id: done, type: exit, outcome: notified }
  - { id: refused, type: exit, outcome: refused }
`,
      'hook.yaml',
    );
    touchpoint = await startTestTouchpoint({}, { catalog: shortenedCatalog({}, [hook]) });
  });
  afterAll(async () => {
    await touchpoint?.stop();
    await endpoint?.close();
  });

  const call = async (method: string, url: string, body?: unknown) =>
    (
      await fetch(`${touchpoint.url}${url}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json();
  let n = 0;
  const event = (type: string, customerId: string, data: Record<string, unknown>, occurredAt?: string) =>
    call('POST', '/v1/events', { id: `bij-${++n}`, type, customerId, data, occurredAt }) as Promise<RouteResult>;
  const completed = (id: string) =>
    eventually(async () => {
      const detail = (await call('GET', `/v1/runs/${id}`)) as RunDetail;
      return detail.status === 'completed' ? detail : undefined;
    }, `${id} to complete`);
  const inbox = async (to: string) =>
    ((await call('GET', `/v1/inbox?to=${to}`)) as { messages: { subject: string; text: string }[] }).messages;

  it('thank-you-gift: a gold customer gets a voucher from the catalog, the thank-you email carries it, the CRM notes it', async () => {
    await call('PUT', '/v1/customers/gold-1', {
      email: 'gold-1@example.com',
      name: 'Greta',
      locale: 'de',
      attributes: { tier: 'gold' },
      consent: { marketing: 'granted' },
    });
    const routed = await event('milestone.reached', 'gold-1', { milestone: 'fifth-order', kind: 'order-count' });
    expect(routed.started).toEqual(['thank-you-gift/gold-1/fifth-order']);
    const run = await completed('thank-you-gift/gold-1/fifth-order');
    expect(run.state?.outcome).toBe('thanked');
    // gifts/catalog.yaml: a gold customer without a country gets the 25 € voucher (no gift box, no US voucher)
    const gift = run.state?.data.gift as { code: string; value: number; productId: string };
    expect(gift).toMatchObject({ productId: 'voucher-eur', value: 25 });
    const [mail] = await inbox('gold-1@example.com');
    expect(mail.subject).toBe('Danke, Greta: ein Geschenk für Sie');
    expect(mail.text).toContain(`ein Geschenk im Wert von 25,00\u00a0€. Ihr Code:\n\n    ${gift.code}\n`);
    const notes = await touchpoint.stores.crm.notes('gold-1');
    expect(notes.map((note) => note.body)).toEqual([
      `Thank-you gift for fifth-order: 25-€-Gutschein (digital, worth 25 EUR, cost 25 EUR), campaign thank-you, code ${gift.code}.`,
    ]);
  });

  it('thank-you-gift: other tiers are not eligible (the reason in the timeline), other events start nothing', async () => {
    await call('PUT', '/v1/customers/basic-1', {
      email: 'basic-1@example.com',
      attributes: { tier: 'basic' },
      consent: { marketing: 'granted' },
    });
    await event('milestone.reached', 'basic-1', { milestone: 'anniversary-1', kind: 'anniversary' });
    const run = await completed('thank-you-gift/basic-1/anniversary-1');
    expect(run.state?.outcome).toBe('ineligible');
    expect(run.state?.timeline.map((entry) => entry.detail)).toContain(
      'no gift (campaign thank-you): tier basic is not in gold, platinum',
    );
    expect(await inbox('basic-1@example.com')).toEqual([]);
    // A milestone.reached without a kind Touchpoint knows (e.g. from another system) is not a thank-you milestone.
    const other = await event('milestone.reached', 'basic-1', { milestone: 'first-login' });
    expect(other.skipped).toEqual([{ journeyId: 'thank-you-gift', reason: 'the trigger condition does not hold' }]);
  });

  it('webhook: posts the rendered body with an idempotency key; retries a 5xx; a 4xx takes onFailure', async () => {
    await call('PUT', '/v1/customers/hook-1', { email: 'hook-1@example.com' });
    endpoint.statuses.push(503);
    await event('ticket.solved', 'hook-1', { ticketId: 'H-1' });
    expect((await completed('hook/hook-1/H-1')).state?.outcome).toBe('notified');
    const calls = endpoint.requests.filter((r) => r.body.includes('H-1'));
    expect(calls).toHaveLength(2); // the 503, then the retry
    expect(JSON.parse(calls[1].body)).toEqual({ customer: 'hook-1', ticket: 'H-1' });
    expect(calls[0].headers['idempotency-key']).toBe('hook/hook-1/H-1/notify');
    expect(calls[1].headers['idempotency-key']).toBe('hook/hook-1/H-1/notify');

    endpoint.statuses.push(422);
    await event('ticket.solved', 'hook-1', { ticketId: 'H-2' });
    const refused = await completed('hook/hook-1/H-2');
    expect(refused.state?.outcome).toBe('refused');
    expect(refused.state?.timeline.find((e) => e.kind === 'failed')?.detail).toMatch(
      /answered 422: no thanks; taking refused/,
    );
  });
});
