import type { Touchpoint } from '../../client/app';
import type { RunDetail } from '../../client/runs';
import { eventually, startTestTouchpoint } from '../support/touchpoint';
import { TremendousTestServer, startTremendousServer } from '../support/tremendous-server';

const GIFT_SECRET = 'gift-webhook-secret-for-tests';

/**
 * The built-in thank-you journey with GIFT_PROVIDER=tremendous against the local protocol server, on the real
 * stack: the order waits in PENDING APPROVAL, the run waits with it, the status webhook lets it go on.
 */
describe('thank-you gift through the Tremendous adapter', () => {
  let server: TremendousTestServer;
  let touchpoint: Touchpoint;
  beforeAll(async () => {
    server = await startTremendousServer();
    touchpoint = await startTestTouchpoint({
      GIFT_PROVIDER: 'tremendous',
      TREMENDOUS_API_URL: server.url,
      TREMENDOUS_API_KEY: server.apiKey,
      GIFT_WEBHOOK_SECRET: GIFT_SECRET,
    });
  });
  afterAll(async () => {
    await touchpoint?.stop();
    await server?.close();
  });

  const run = async (id: string) =>
    (await (await fetch(`${touchpoint.url}/v1/runs/${encodeURIComponent(id)}`)).json()) as RunDetail;
  const inbox = async (to: string) =>
    (
      (await (await fetch(`${touchpoint.url}/v1/inbox?to=${to}`)).json()) as {
        messages: { subject: string; text?: string }[];
      }
    ).messages;

  it('orders once, waits while the order is pending approval, and thanks once the gift is delivered', async () => {
    await touchpoint.stores.customers.upsert('tp-gold', {
      email: 'gold@example.com',
      name: 'Goldie',
      locale: 'en-GB',
      timeZone: 'Europe/London',
      attributes: { tier: 'gold', country: 'GB' },
      consent: { marketing: 'granted' },
    });
    server.approvalRequired = true;

    const routed = await fetch(`${touchpoint.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'milestone-tp-gold-5',
        type: 'milestone.reached',
        customerId: 'tp-gold',
        data: { milestone: 'order-count-5', kind: 'order-count' },
      }),
    });
    const { started } = (await routed.json()) as { started: string[] };
    expect(started).toEqual(['thank-you-gift/tp-gold/order-count-5']);
    const workflowId = started[0];

    const order = await eventually(async () => server.orders()[0], 'the order at the provider');
    const giftKey = order.external_id!;
    expect(order).toMatchObject({
      status: 'PENDING APPROVAL',
      payment: { funding_source_id: 'balance' },
      rewards: [{ value: { denomination: 25, currency_code: 'EUR' }, recipient: { email: 'gold@example.com' } }],
    });
    await eventually(
      async () => ((await touchpoint.stores.gifts.get(giftKey))?.status === 'pending-approval' ? true : undefined),
      'the ledger to show the gift pending approval',
    );
    expect((await run(workflowId)).status).toBe('running');
    expect(await inbox('gold@example.com')).toEqual([]);

    // an admin approves at the provider, which then reports the delivery
    server.approve(giftKey);
    const reported = await fetch(`${touchpoint.url}/v1/webhooks/gifts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-touchpoint-secret': GIFT_SECRET },
      body: JSON.stringify({ giftKey, status: 'delivered', providerOrderId: order.id }),
    });
    expect(reported.status).toBe(202);
    expect(await reported.json()).toMatchObject({ event: { signalled: [workflowId] } });

    const done = await eventually(async () => {
      const detail = await run(workflowId);
      return detail.status === 'completed' ? detail : undefined;
    }, 'the run to complete');
    expect(done.state?.outcome).toBe('thanked');
    expect(done.state?.timeline.map((entry) => entry.detail)).toContainEqual(
      expect.stringContaining('pending approval at the provider (tremendous order'),
    );
    expect(server.orders()).toHaveLength(1);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(await touchpoint.stores.gifts.get(giftKey)).toMatchObject({
      status: 'delivered',
      provider: 'tremendous',
      providerOrderId: order.id,
    });
    const mails = await inbox('gold@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain('25 € voucher');
    // a LINK reward: the link the provider made on approval is what the customer redeems
    expect(mails[0].text).toContain(server.order(giftKey).rewards[0].delivery.link);
  });
});
