import type { Touchpoint } from '../../client/app';
import { JourneyCatalog, parseJourney } from '../../client/journey-catalog';
import type { RouteResult } from '../../client/event-router';
import type { RunDetail, RunSummary } from '../../client/runs';
import { bucket } from '../../model/bucket';
import { templatesWithHello } from '../support/templates';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

const NUDGE = `
id: nudge
version: 1
name: Nudge after a ticket, unless the customer orders
category: marketing
trigger: { event: ticket.solved }
reentry: { cooldown: 1h }
goal: [order.placed]
steps:
  - { id: pause, type: wait, duration: 1d }
  - { id: hello, type: send, template: hello }
  - { id: done, type: exit, outcome: nudged }
`;

const VIP = `
id: vip
version: 1
name: VIP follow-up
category: transactional
trigger:
  event: ticket.solved
  key: data.ticketId
  when: { path: event.data.team, op: eq, value: vip }
reentry: once
steps:
  - id: ab
    type: split
    paths:
      - { name: a, weight: 50, next: tier }
      - { name: b, weight: 50, next: tier }
  - id: tier
    type: branch
    cases:
      - when: { all: [{ path: customer.attributes.tier, op: eq, value: gold }, { path: data.ab, op: exists }] }
        next: gold
    otherwise: other
  - { id: gold, type: exit, outcome: gold }
  - { id: other, type: exit, outcome: other }
`;

const ORDER_WATCH = `
id: order-watch
version: 1
name: Wait for an order after a ticket
category: transactional
trigger: { event: ticket.solved, key: data.ticketId, when: { path: event.data.team, op: eq, value: shop } }
steps:
  - { id: await-order, type: waitFor, events: [order.placed], timeout: 1h, onEvent: ordered, onTimeout: none }
  - { id: ordered, type: exit, outcome: ordered }
  - { id: none, type: exit, outcome: no-order }
`;

describe('the journey engine on a real Temporal server', () => {
  let touchpoint: Touchpoint;

  beforeAll(async () => {
    // The built-in templates plus one for the test journeys.
    const templates = templatesWithHello();
    const builtIn = JourneyCatalog.fromDirectory().all();
    const catalog = new JourneyCatalog([
      ...builtIn,
      ...[NUDGE, VIP, ORDER_WATCH].map((source, i) => parseJourney(source, `test-${i}.yaml`)),
    ]);
    touchpoint = await startTestTouchpoint({}, { catalog, templatesDir: templates });
  });
  afterAll(() => touchpoint?.stop());

  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${touchpoint.url}${url}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json();
  };
  const customer = (id: string, attributes: Record<string, unknown> = {}) =>
    call('PUT', `/v1/customers/${id}`, {
      email: `${id}@example.com`,
      name: id,
      attributes,
      consent: { marketing: 'granted' },
    });
  let eventCounter = 0;
  const event = (type: string, customerId: string, data: Record<string, unknown>) =>
    call('POST', '/v1/events', { id: `engine-${++eventCounter}`, type, customerId, data }) as Promise<RouteResult>;
  const run = (id: string) => call('GET', `/v1/runs/${id}`) as Promise<RunDetail>;
  const completed = (id: string) =>
    eventually(async () => {
      const detail = await run(id);
      return detail.status === 'completed' ? detail : undefined;
    }, `${id} to complete`);
  const waitingAt = (id: string, step: string) =>
    eventually(async () => {
      const detail = await run(id);
      return detail.state?.timeline.some((e) => e.kind === 'waiting' && e.step === step) ? detail : undefined;
    }, `${id} to wait at ${step}`);

  it('ends a sleeping survey run at once when its ticket is reopened', async () => {
    await customer('ida');
    await event('ticket.solved', 'ida', { ticketId: 'R-1' });
    await waitingAt('survey-after-contact/ida/R-1', 'await-answer'); // asleep for 3 days
    const routed = await event('ticket.reopened', 'ida', { ticketId: 'R-1' });
    expect(routed.signalled).toEqual(['survey-after-contact/ida/R-1']);
    const detail = await completed('survey-after-contact/ida/R-1');
    expect(detail.state?.outcome).toBe('exited');
    expect(detail.state?.endedBy).toMatchObject({ kind: 'exit', eventType: 'ticket.reopened' });
    expect(detail.state?.timeline.map((e) => e.kind).slice(-2)).toEqual(['exit', 'completed']);
  });

  it('loses no event that arrives right after the start, before the run has taken a step', async () => {
    await customer('ivo');
    const started = await event('ticket.solved', 'ivo', { ticketId: 'Q-1' });
    expect(started.started).toContain('survey-after-contact/ivo/Q-1');
    // No pause: the exit event is routed while the new run has most likely not run its first workflow task.
    const reopened = await event('ticket.reopened', 'ivo', { ticketId: 'Q-1' });
    expect(reopened.signalled).toEqual(['survey-after-contact/ivo/Q-1']);
    const detail = await completed('survey-after-contact/ivo/Q-1');
    expect(detail.state?.outcome).toBe('exited');
  });

  it('ends every running keyed run of a customer on a customer-wide exit event', async () => {
    await customer('jan');
    await event('ticket.solved', 'jan', { ticketId: 'J-1' });
    await event('ticket.solved', 'jan', { ticketId: 'J-2' });
    // customer.deleted carries no ticket id: the router finds the runs by search, so wait until they are indexed.
    await eventually(async () => {
      const { runs } = (await call('GET', '/v1/runs?journey=survey-after-contact&customer=jan&status=running')) as {
        runs: RunSummary[];
      };
      return runs.length === 2 ? runs : undefined;
    }, 'both runs to be searchable');
    const routed = await event('customer.deleted', 'jan', {});
    expect(routed.signalled.sort()).toEqual(['survey-after-contact/jan/J-1', 'survey-after-contact/jan/J-2']);
    for (const id of routed.signalled) expect((await completed(id)).state?.outcome).toBe('exited');
  });

  it('ends a run at its goal during a wait, and honours the re-entry cooldown afterwards', async () => {
    await customer('kai');
    const first = await event('ticket.solved', 'kai', { ticketId: 'K-1', team: 'support' });
    expect(first.started).toContain('nudge/kai');
    await waitingAt('nudge/kai', 'pause');
    const order = await event('order.placed', 'kai', { orderId: 'o-1', amount: 20, currency: 'EUR' });
    expect(order.signalled).toEqual(['nudge/kai']);
    const detail = await completed('nudge/kai');
    expect(detail.state?.outcome).toBe('goal');
    expect(detail.state?.timeline.some((e) => e.kind === 'sent')).toBe(false);

    const again = await event('ticket.solved', 'kai', { ticketId: 'K-2', team: 'support' });
    expect(again.started).not.toContain('nudge/kai');
    expect(again.skipped).toContainEqual({ journeyId: 'nudge', reason: expect.stringMatching(/^cooling down until /) });
  });

  it('starts only when the trigger condition holds, splits deterministically and branches on customer data', async () => {
    await customer('lea', { tier: 'gold' });
    const plain = await event('ticket.solved', 'lea', { ticketId: 'L-0', team: 'support' });
    expect(plain.skipped).toContainEqual({ journeyId: 'vip', reason: 'the trigger condition does not hold' });

    const vip = await event('ticket.solved', 'lea', { ticketId: 'L-1', team: 'vip' });
    expect(vip.started).toContain('vip/lea');
    const detail = await completed('vip/lea');
    expect(detail.state?.outcome).toBe('gold');
    expect(detail.state?.data.ab).toBe(bucket('vip/lea/ab') < 0.5 ? 'a' : 'b');

    // reentry: once, per customer, whatever the key
    const second = await event('ticket.solved', 'lea', { ticketId: 'L-2', team: 'vip' });
    expect(second.existing).toContain('vip/lea');
  });

  it('delivers a business event to the run waiting for it (same customer and key)', async () => {
    await customer('max');
    await event('ticket.solved', 'max', { ticketId: 'M-1', team: 'shop' });
    await waitingAt('order-watch/max/M-1', 'await-order');
    // An order that names another ticket does not concern this run (an order naming no ticket would: it is
    // customer-wide, like customer.deleted).
    const other = await event('order.placed', 'max', { ticketId: 'M-9', orderId: 'o-1', amount: 5, currency: 'EUR' });
    expect(other.signalled).not.toContain('order-watch/max/M-1');
    const routed = await event('order.placed', 'max', { ticketId: 'M-1', orderId: 'o-2', amount: 5, currency: 'EUR' });
    expect(routed.signalled).toContain('order-watch/max/M-1');
    expect((await completed('order-watch/max/M-1')).state?.outcome).toBe('ordered');
  });
});
