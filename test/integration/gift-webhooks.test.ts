import type { Touchpoint } from '../../client/app';
import { startTestTouchpoint } from '../support/touchpoint';

const GIFT_SECRET = 'gift-webhook-secret-for-tests';

/** Gift status flows back: POST /v1/webhooks/gifts updates the ledger and routes gift.delivered / gift.failed. */
describe('gift status webhook', () => {
  let touchpoint: Touchpoint;
  beforeAll(async () => {
    touchpoint = await startTestTouchpoint({ GIFT_WEBHOOK_SECRET: GIFT_SECRET });
    await fetch(`${touchpoint.url}/v1/customers/gift-cust`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', name: 'Ada', locale: 'en' }),
    });
  });
  afterAll(() => touchpoint?.stop());

  /** A gift in the ledger as the gift step leaves it once the provider has the order. */
  const ledgerGift = (key: string, status = 'ordered') =>
    touchpoint.stores.db.query(
      `INSERT INTO gifts (key, workflow_id, journey_id, customer_id, campaign, period, product_id, kind, cost,
         currency, status, provider, provider_order_id)
       VALUES ($1, 'thank-you-gift/gift-cust', 'thank-you-gift', 'gift-cust', 'loyalty', '2026', 'mug', 'physical',
         18, 'EUR', $2, 'builtin', 'TP-1')`,
      [key, status],
    );
  /** `secret` null: no header at all. */
  const report = (body: unknown, secret: string | null = GIFT_SECRET) =>
    fetch(`${touchpoint.url}/v1/webhooks/gifts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-touchpoint-secret': secret }) },
      body: JSON.stringify(body),
    });
  const gift = async (key: string) =>
    (
      await touchpoint.stores.db.query<{ status: string; reason: string | null; provider_order_id: string }>(
        'SELECT status, reason, provider_order_id FROM gifts WHERE key = $1',
        [key],
      )
    )[0];
  const events = (id: string) =>
    touchpoint.stores.db.query<{ type: string; customer_id: string; data: unknown }>(
      'SELECT type, customer_id, data FROM events WHERE id = $1',
      [id],
    );

  it('refuses a wrong or missing secret with 401 and changes nothing', async () => {
    await ledgerGift('wh-secret');
    for (const secret of ['not-the-secret', null]) {
      const response = await report({ giftKey: 'wh-secret', status: 'delivered' }, secret);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: 'unauthorized',
        message: expect.stringContaining('X-Touchpoint-Secret'),
      });
    }
    expect(await gift('wh-secret')).toMatchObject({ status: 'ordered', reason: null });
    expect(await events('gift:wh-secret:delivered')).toEqual([]);
  });

  it('with the right secret: the ledger row is delivered and gift.delivered is recorded for the customer, once', async () => {
    await ledgerGift('wh-ok');
    const response = await report({ giftKey: 'wh-ok', status: 'delivered', providerOrderId: 'TP-9' });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({
      giftKey: 'wh-ok',
      status: 'delivered',
      event: { eventId: 'gift:wh-ok:delivered', duplicate: false },
    });
    expect(await gift('wh-ok')).toMatchObject({ status: 'delivered', provider_order_id: 'TP-9' });
    expect(await events('gift:wh-ok:delivered')).toEqual([
      { type: 'gift.delivered', customer_id: 'gift-cust', data: { giftKey: 'wh-ok', providerOrderId: 'TP-9' } },
    ]);

    // the provider retries the same report: nothing new
    const again = await report({ giftKey: 'wh-ok', status: 'delivered', providerOrderId: 'TP-9' });
    expect(await again.json()).toMatchObject({ event: { eventId: 'gift:wh-ok:delivered', duplicate: true } });

    // a late "failed" for a delivered gift changes nothing: the gift keeps its status (and its budget)
    const late = await report({ giftKey: 'wh-ok', status: 'failed', reason: 'changed its mind' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { message: string }).message).toMatch(
      /is delivered already, so it cannot be failed/,
    );
    expect(await gift('wh-ok')).toMatchObject({ status: 'delivered' });
    expect(await events('gift:wh-ok:failed')).toEqual([]);
  });

  it('a failure keeps its reason on the ledger row and in gift.failed', async () => {
    await ledgerGift('wh-failed', 'pending-approval');
    const response = await report({
      giftKey: 'wh-failed',
      status: 'failed',
      reason: 'parcel returned: unknown address',
    });
    expect(response.status).toBe(202);
    expect(await gift('wh-failed')).toMatchObject({ status: 'failed', reason: 'parcel returned: unknown address' });
    expect(await events('gift:wh-failed:failed')).toEqual([
      {
        type: 'gift.failed',
        customer_id: 'gift-cust',
        data: { giftKey: 'wh-failed', reason: 'parcel returned: unknown address' },
      },
    ]);
  });

  it("moves the built-in provider's order on too, so polling sees the same status", async () => {
    await ledgerGift('wh-builtin');
    await touchpoint.stores.giftOrders.placeOrder({
      key: 'wh-builtin',
      providerOrderId: 'TP-BUILTIN',
      customerId: 'gift-cust',
      campaign: 'loyalty',
      kind: 'physical',
      value: 18,
      currency: 'EUR',
      status: 'executed',
    });
    await report({ giftKey: 'wh-builtin', status: 'delivered' });
    expect(await touchpoint.stores.giftOrders.get('wh-builtin')).toMatchObject({ status: 'delivered' });
  });

  it('an unknown gift is 404, a gift never ordered 409; neither records an event', async () => {
    const unknown = await report({ giftKey: 'wh-nope', status: 'delivered' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ problems: [{ path: 'giftKey' }] });

    await ledgerGift('wh-released', 'released');
    const released = await report({ giftKey: 'wh-released', status: 'delivered' });
    expect(released.status).toBe(409);
    expect(await released.json()).toMatchObject({ message: expect.stringContaining('is released') });
    expect(await gift('wh-released')).toMatchObject({ status: 'released' });
    expect(await events('gift:wh-nope:delivered')).toEqual([]);
    expect(await events('gift:wh-released:delivered')).toEqual([]);
  });

  it('a bad body is 400 with the field path', async () => {
    await ledgerGift('wh-bad');
    const response = await report({ giftKey: 'wh-bad', status: 'shipped' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ problems: [{ path: 'status' }] });
    expect(await gift('wh-bad')).toMatchObject({ status: 'ordered' });
  });

  it('answers 503 naming GIFT_WEBHOOK_SECRET when it is not configured', async () => {
    const bare = await startTestTouchpoint();
    try {
      const response = await fetch(`${bare.url}/v1/webhooks/gifts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-touchpoint-secret': GIFT_SECRET },
        body: JSON.stringify({ giftKey: 'x', status: 'delivered' }),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ message: expect.stringContaining('GIFT_WEBHOOK_SECRET') });
    } finally {
      await bare.stop();
    }
  });
});
