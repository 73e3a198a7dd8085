import { ApplicationFailure } from '@temporalio/common';
import { openDatabase, type Database } from '../../activities/store/database';
import { createStores, type Stores } from '../../activities/store';
import { getGiftOrder, placeGiftOrder } from '../../activities/gifts/place-gift-order';
import { GiftProviderError } from '../../activities/gifts/provider';
import { BuiltinGiftProvider } from '../../activities/gifts/providers/builtin';
import { TremendousGiftProvider, type TremendousSettings } from '../../activities/gifts/providers/tremendous';
import type { GiftOrderRequest } from '../../model/gift-provider';
import { postgresBinDir, startPostgres } from '../support/postgres';
import { TremendousTestServer, startTremendousServer } from '../support/tremendous-server';

const digital = (externalId: string, overrides: Partial<GiftOrderRequest> = {}): GiftOrderRequest => ({
  externalId,
  recipient: { customerId: 'cust-1', email: 'ada@example.com', name: 'Ada Lovelace' },
  campaign: 'loyalty-2026',
  product: { id: 'OKMHM2X2OHYV', kind: 'digital', value: 25, currency: 'EUR' },
  delivery: 'EMAIL',
  ...overrides,
});

const physical = (externalId: string): GiftOrderRequest => ({
  externalId,
  recipient: { customerId: 'cust-2', email: 'grace@example.com' },
  campaign: 'vip-2026',
  product: { id: 'mug', kind: 'physical', value: 18, currency: 'EUR' },
  delivery: 'EMAIL',
  shippingAddress: { name: 'Grace Hopper', line1: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
});

/** What a provider call threw, for assertions on its kind and message. */
async function failureOf(call: Promise<unknown>): Promise<GiftProviderError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GiftProviderError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('Tremendous adapter against a server speaking the protocol', () => {
  let server: TremendousTestServer;
  let settings: TremendousSettings;
  let provider: TremendousGiftProvider;
  const posts = () => server.requests.filter((r) => r.method === 'POST');

  beforeEach(async () => {
    server = await startTremendousServer();
    settings = { baseUrl: server.url, apiKey: server.apiKey, fundingSourceId: 'balance', timeoutMs: 5_000 };
    provider = new TremendousGiftProvider(settings);
  });
  afterEach(() => server.close());

  it('places an order with external_id, funding source, reward value, product, recipient and delivery method', async () => {
    const order = await provider.placeOrder(digital('thank-you/cust-1/1:gift'));

    const [post] = posts();
    expect(post.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(post.body).toEqual({
      external_id: 'thank-you/cust-1/1:gift',
      payment: { funding_source_id: 'balance' },
      reward: {
        value: { denomination: 25, currency_code: 'EUR' },
        products: ['OKMHM2X2OHYV'],
        recipient: { name: 'Ada Lovelace', email: 'ada@example.com' },
        delivery: { method: 'EMAIL' },
      },
    });
    const stored = server.order('thank-you/cust-1/1:gift');
    expect(order).toEqual({
      provider: 'tremendous',
      providerOrderId: stored.id,
      externalId: 'thank-you/cust-1/1:gift',
      status: 'executed',
      value: 25,
      currency: 'EUR',
      repeated: false,
    });
  });

  it('sends the campaign instead of the product when TREMENDOUS_CAMPAIGN_ID is set, and returns a LINK reward', async () => {
    provider = new TremendousGiftProvider({ ...settings, campaignId: 'CAMPAIGN123' });
    const order = await provider.placeOrder(digital('k-link', { delivery: 'LINK' }));

    const reward = (posts()[0].body as { reward: Record<string, unknown> }).reward;
    expect(reward.campaign_id).toBe('CAMPAIGN123');
    expect(reward).not.toHaveProperty('products');
    expect(order.status).toBe('delivered');
    expect(order.reward).toEqual({ link: server.order('k-link').rewards[0].delivery.link });
    expect(order.reward?.link).toMatch(/\/rewards\/payout\//);
  });

  it('a second call with the same externalId returns the original order and creates none', async () => {
    const first = await provider.placeOrder(digital('k-twice'));
    const second = await provider.placeOrder(digital('k-twice'));

    expect(server.orders()).toHaveLength(1);
    expect(second).toEqual({ ...first, repeated: true });
    expect(posts()).toHaveLength(1); // the lookup by external_id found it before any POST
  });

  it("relies on the provider's replay of external_id when the lookup lags: still one order", async () => {
    const first = await provider.placeOrder(digital('k-lag'));
    server.lookupLags = true;
    const replayed = await provider.placeOrder(digital('k-lag'));

    expect(posts()).toHaveLength(2);
    expect(server.orders()).toHaveLength(1);
    // Tremendous answers a replay with 201, as for a new order: same order, but it cannot tell it was a repeat
    expect(replayed.providerOrderId).toBe(first.providerOrderId);

    server.repeatStatus = 200;
    expect(await provider.placeOrder(digital('k-lag'))).toEqual({ ...first, repeated: true });
    expect(server.orders()).toHaveLength(1);
  });

  it('a 409 conflict for a repeated external_id that cannot be looked up yet is a temporary failure', async () => {
    await provider.placeOrder(digital('k-409'));
    server.lookupLags = true;
    server.repeatStatus = 409;

    const error = await failureOf(provider.placeOrder(digital('k-409')));
    expect(error.kind).toBe('temporary');
    expect(error.message).toContain('409');
    expect(server.orders()).toHaveLength(1);
  });

  it('the connection drops after the order was created: the retry finds it, no second order', async () => {
    server.dropAfterCreate();
    const error = await failureOf(provider.placeOrder(digital('k-crash')));
    expect(error.kind).toBe('temporary');
    expect(server.orders()).toHaveLength(1);

    const retried = await provider.placeOrder(digital('k-crash'));
    expect(server.orders()).toHaveLength(1);
    expect(posts()).toHaveLength(1);
    expect(retried).toMatchObject({ providerOrderId: server.order('k-crash').id, status: 'executed', repeated: true });
  });

  it('no answer within the timeout is temporary; the retry finds the order that was made', async () => {
    provider = new TremendousGiftProvider({ ...settings, timeoutMs: 300 });
    server.hangAfterCreate();
    const error = await failureOf(provider.placeOrder(digital('k-hang')));
    expect(error.kind).toBe('temporary');
    expect(error.message).toContain('no answer within 300 ms');

    const retried = await provider.placeOrder(digital('k-hang'));
    expect(server.orders()).toHaveLength(1);
    expect(retried.repeated).toBe(true);
  });

  it('PENDING APPROVAL until an admin approves; then executed, then delivered', async () => {
    server.approvalRequired = true;
    const placed = await provider.placeOrder(digital('k-approval'));
    expect(placed.status).toBe('pending-approval');
    expect(await provider.getOrder('k-approval')).toMatchObject({ status: 'pending-approval', repeated: true });

    server.approve('k-approval');
    expect(await provider.getOrder('k-approval')).toMatchObject({
      status: 'executed',
      providerOrderId: placed.providerOrderId,
    });

    server.deliver('k-approval');
    expect(await provider.getOrder('k-approval')).toMatchObject({ status: 'delivered', value: 25, currency: 'EUR' });
    expect(
      server.requests.some((r) => r.method === 'GET' && r.path === `/api/v2/orders/${placed.providerOrderId}`),
    ).toBe(true);
  });

  it('a rejected order is canceled, a bounced reward failed, each with a reason', async () => {
    server.approvalRequired = true;
    await provider.placeOrder(digital('k-reject'));
    server.reject('k-reject');
    expect(await provider.getOrder('k-reject')).toMatchObject({
      status: 'canceled',
      failureReason: expect.stringContaining('rejected'),
    });

    server.approvalRequired = false;
    await provider.placeOrder(digital('k-bounce'));
    server.failDelivery('k-bounce');
    expect(await provider.getOrder('k-bounce')).toMatchObject({
      status: 'failed',
      failureReason: expect.stringContaining('could not deliver'),
    });
  });

  it('getOrder of an externalId never ordered is undefined', async () => {
    await provider.placeOrder(digital('k-other'));
    expect(await provider.getOrder('k-never')).toBeUndefined();
  });

  it.each([
    [400, 'Funding source not found'],
    [402, 'Insufficient funds'],
    [403, 'The API key lacks permission'],
    [422, 'Unprocessable reward'],
  ])('%i is permanent and carries the provider message', async (status, message) => {
    server.failNextOrder(status, message);
    const error = await failureOf(provider.placeOrder(digital(`k-${status}`)));
    expect(error).toMatchObject({ kind: 'permanent', status });
    expect(error.message).toContain(message);
    expect(error.message).toMatch(/^gift provider tremendous: POST \/api\/v2\/orders answered \d{3}/);
    expect(server.orders()).toHaveLength(0);
  });

  it('a wrong API key is permanent and names TREMENDOUS_API_KEY', async () => {
    provider = new TremendousGiftProvider({ ...settings, apiKey: 'wrong' });
    const error = await failureOf(provider.placeOrder(digital('k-401')));
    expect(error).toMatchObject({ kind: 'permanent', status: 401 });
    expect(error.message).toContain('Unauthorized');
    expect(error.message).toContain('TREMENDOUS_API_KEY');
  });

  it('a funding source the account does not have is refused with the provider message', async () => {
    provider = new TremendousGiftProvider({ ...settings, fundingSourceId: 'NOSUCHSOURCE' });
    const error = await failureOf(provider.placeOrder(digital('k-funding')));
    expect(error).toMatchObject({ kind: 'permanent', status: 400 });
    expect(error.message).toContain('Funding source not found');
    expect(error.message).toContain('funding_source_id');
  });

  it.each([500, 503, 429])('%i is temporary; the retry places the order once', async (status) => {
    server.failNextOrder(status, 'Something went wrong');
    const error = await failureOf(provider.placeOrder(digital(`k-${status}`)));
    expect(error).toMatchObject({ kind: 'temporary', status });
    expect(error.message).toContain('Something went wrong');

    await provider.placeOrder(digital(`k-${status}`));
    expect(server.orders()).toHaveLength(1);
  });

  it('an unreachable API is temporary', async () => {
    await server.close();
    const error = await failureOf(provider.placeOrder(digital('k-down')));
    expect(error.kind).toBe('temporary');
    server = await startTremendousServer(); // for afterEach
  });

  it('refuses a physical gift without calling the API: Tremendous sends digital rewards only', async () => {
    const error = await failureOf(provider.placeOrder(physical('k-mug')));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('GIFT_PROVIDER=builtin');
    expect(server.requests).toHaveLength(0);
  });
});

/** The built-in provider's tests, on a database `open` gives. */
function builtinProviderTests(open: () => Promise<Database>) {
  let db: Database;
  let stores: Stores;
  let provider: BuiltinGiftProvider;
  beforeAll(async () => {
    db = await open();
    stores = createStores(db);
    provider = new BuiltinGiftProvider(stores.giftOrders);
  });
  afterAll(() => db.close());
  const rows = async (key: string) =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM gift_orders WHERE key = $1', [key]))[0].n;

  it('issues a voucher code for a digital gift; a retried call returns it and creates no second order', async () => {
    const first = await provider.placeOrder(digital('b-digital'));
    expect(first).toMatchObject({
      provider: 'builtin',
      externalId: 'b-digital',
      status: 'delivered',
      value: 25,
      currency: 'EUR',
      repeated: false,
    });
    expect(first.reward?.code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);

    const retried = await provider.placeOrder(digital('b-digital'));
    expect(retried).toEqual({ ...first, repeated: true });
    expect(await rows('b-digital')).toBe(1);
  });

  it('concurrent attempts with the same key leave one order, all answering it', async () => {
    const attempts = await Promise.all(Array.from({ length: 8 }, () => provider.placeOrder(digital('b-race'))));
    expect(await rows('b-race')).toBe(1);
    expect(new Set(attempts.map((attempt) => attempt.reward?.code)).size).toBe(1);
    expect(attempts.filter((attempt) => !attempt.repeated)).toHaveLength(1);
  });

  it('records a physical gift with its address as executed, until fulfilment reports delivery', async () => {
    const placed = await provider.placeOrder(physical('b-mug'));
    expect(placed).toMatchObject({ status: 'executed', value: 18, repeated: false });
    expect(placed.reward).toBeUndefined();
    expect((await stores.giftOrders.get('b-mug'))?.shippingAddress).toEqual(physical('b-mug').shippingAddress);

    await stores.giftOrders.settle('b-mug', 'delivered');
    expect(await provider.getOrder('b-mug')).toMatchObject({
      status: 'delivered',
      providerOrderId: placed.providerOrderId,
    });
    // a final order stays final
    await stores.giftOrders.settle('b-mug', 'failed', 'late bounce');
    expect(await provider.getOrder('b-mug')).toMatchObject({ status: 'delivered' });
  });

  it('getOrder of a key never ordered is undefined', async () => {
    expect(await provider.getOrder('b-none')).toBeUndefined();
  });

  it('orders of the old orderGift activity read as delivered vouchers', async () => {
    await stores.giftOrders.place({
      key: 'b-old',
      customerId: 'cust-3',
      campaign: 'old',
      value: 10,
      currency: 'EUR',
      code: 'ABCD-EFGH-JKLM',
      status: 'issued',
    });
    expect(await provider.getOrder('b-old')).toMatchObject({
      status: 'delivered',
      providerOrderId: 'b-old',
      reward: { code: 'ABCD-EFGH-JKLM' },
    });
  });
}

describe('built-in provider on PGlite', () => builtinProviderTests(() => openDatabase({ kind: 'pglite' })));

const postgresAvailable = postgresBinDir() !== undefined;
(postgresAvailable ? describe : describe.skip)('built-in provider on PostgreSQL (ten connections)', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  builtinProviderTests(() => openDatabase({ kind: 'postgres', url: postgres.url }));
  // after the tests' own afterAll has closed their pool (hooks run in the order they are declared)
  afterAll(() => postgres?.stop());
});

describe('placeGiftOrder / getGiftOrder activities', () => {
  let server: TremendousTestServer;
  let provider: TremendousGiftProvider;
  beforeEach(async () => {
    server = await startTremendousServer();
    provider = new TremendousGiftProvider({
      baseUrl: server.url,
      apiKey: server.apiKey,
      fundingSourceId: 'balance',
      timeoutMs: 5_000,
    });
  });
  afterEach(() => server.close());

  const failure = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      if (error instanceof ApplicationFailure) return error;
      throw error;
    }
    throw new Error('expected an ApplicationFailure');
  };

  it('a permanent provider error is a non-retryable failure with the message', async () => {
    server.failNextOrder(402, 'Insufficient funds');
    const error = await failure(placeGiftOrder(provider, digital('a-402')));
    expect(error).toMatchObject({ nonRetryable: true, type: 'GiftProviderPermanentError' });
    expect(error.message).toContain('Insufficient funds');
  });

  it('a temporary provider error is retryable, and the retry returns the order made once', async () => {
    server.dropAfterCreate();
    const error = await failure(placeGiftOrder(provider, digital('a-drop')));
    expect(error).toMatchObject({ nonRetryable: false, type: 'GiftProviderTemporaryError' });

    const order = await placeGiftOrder(provider, digital('a-drop'));
    expect(order.repeated).toBe(true);
    expect(server.orders()).toHaveLength(1);
    expect(await getGiftOrder(provider, 'a-drop')).toMatchObject({ providerOrderId: order.providerOrderId });
  });

  it('an invalid request is refused before any call, naming the field', async () => {
    const request = { ...physical('a-bad'), shippingAddress: undefined };
    const error = await failure(placeGiftOrder(provider, request));
    expect(error).toMatchObject({ nonRetryable: true, type: 'InvalidGiftOrder' });
    expect(error.message).toContain('shippingAddress: is required for a physical gift');
    expect(server.requests).toHaveLength(0);
  });
});
