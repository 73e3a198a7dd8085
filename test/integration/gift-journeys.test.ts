import { randomUUID } from 'node:crypto';
import type { Duration } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { RecordingMailer } from '../../activities/email/recording-mailer';
import { openDatabase, type Database } from '../../activities/store/database';
import { createStores, type Stores } from '../../activities/store';
import { parseJourney } from '../../client/journey-catalog';
import { GiftCatalog } from '../../model/gift';
import { periodKey } from '../../model/period';
import type { RunState } from '../../model/run';
import { startTimeSkippingEnvironment } from '../../scripts/test-server';
import { installWorkerRuntime } from '../../worker/runtime';
import type { journey as journeyWorkflow } from '../../workflows/journey';
import { eventually } from '../support/touchpoint';
import { eventSignal, stateQuery } from '../../workflows/definitions';
import { GiftProviderError, type GiftProvider } from '../../activities/gifts/provider';
import type { GiftOrderRequest, ProviderOrder } from '../../model/gift-provider';
import { testActivities } from '../support/activities';

/**
 * Gift journeys on the time-skipping server with the real activities: a physical gift whose address is
 * never confirmed (14 days pass in seconds), and the cooldown across two journeys.
 */
const DAY = 24 * 60 * 60 * 1000;

const catalog = GiftCatalog.parse({
  campaigns: [
    { id: 'boxes', budget: { amount: 45, currency: 'EUR', period: 'year' }, products: ['box'] },
    { id: 'thank-you', budget: { amount: 500, currency: 'EUR', period: 'year' }, products: ['voucher'] },
    { id: 'anniversary', budget: { amount: 500, currency: 'EUR', period: 'year' }, products: ['voucher'] },
    // a service gift (e.g. an apology): needs no marketing consent
    {
      id: 'service-boxes',
      budget: { amount: 450, currency: 'EUR', period: 'year' },
      consent: 'transactional',
      cooldown: '1 day',
      products: ['box'],
    },
  ],
  products: [
    {
      id: 'box',
      kind: 'physical',
      name: { en: 'Gift box', de: 'Geschenkbox' },
      value: 40,
      currency: 'EUR',
      cost: 45,
      rules: { countries: ['DE'] },
    },
    { id: 'voucher', kind: 'digital', name: { en: '25 € voucher' }, value: 25, currency: 'EUR', cost: 25 },
  ],
});

const giftJourney = (id: string, campaign: string, before = '', giftOptions = '') =>
  parseJourney(
    `id: ${id}
version: 1
name: ${id}
category: marketing
trigger: { event: milestone.reached }
exit: [customer.deleted]
steps:
${before}  - { id: gift, type: gift, campaign: ${campaign}, confirmWithin: 14d${giftOptions} }
  - { id: thanks, type: send, template: hello }
  - { id: thanked, type: exit, outcome: thanked }
  - { id: no-gift, type: exit, outcome: no-gift }
`,
    `${id}.yaml`,
  );

describe('gift journeys on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let stores: Stores;
  let mailer: RecordingMailer;
  let activitiesWith: (giftProvider?: GiftProvider) => ReturnType<typeof testActivities>;

  beforeAll(async () => {
    installWorkerRuntime('ERROR');
    env = await startTimeSkippingEnvironment();
    db = await openDatabase({ kind: 'pglite' });
    stores = createStores(db);
    mailer = new RecordingMailer();
    activitiesWith = (giftProvider) => testActivities({ giftProvider, stores, mailer, giftCatalog: catalog });
  });
  afterAll(async () => {
    await db?.close();
    await env?.teardown();
  });

  async function customer(id: string, attributes: Record<string, unknown>) {
    await stores.customers.upsert(id, {
      email: `${id}@example.com`,
      name: id,
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
      attributes,
      consent: { marketing: 'granted' },
    });
  }

  type Run = (
    journey: ReturnType<typeof giftJourney>,
    customerId: string,
    /** Once the run waits: how far simulated time jumps, or what happens meanwhile. */
    whileWaiting?: string | ((handle: WorkflowHandle<typeof journeyWorkflow>) => Promise<void>),
  ) => Promise<RunState>;

  /**
   * Runs `work` with a worker polling (and the gift provider given, default the built-in one). `run` starts a
   * journey for a customer and returns its end state. (Awaiting a workflow's result would let the test
   * server skip time on its own, years even, with no run waiting for anything.)
   */
  async function withWorker(work: (run: Run) => Promise<void>, giftProvider?: GiftProvider): Promise<void> {
    const taskQueue = `gifts-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.TOUCHPOINT_TEST_WORKFLOW_BUNDLE! },
      activities: activitiesWith(giftProvider),
    });
    const run: Run = async (journey, customerId, whileWaiting) => {
      const handle = await env.client.workflow.start<typeof journeyWorkflow>('journey', {
        taskQueue,
        workflowId: `${journey.id}/${customerId}`,
        args: [
          {
            journey,
            customerId,
            customer: { locale: 'de-DE', timeZone: 'Europe/Berlin', attributes: {} },
            trigger: {
              id: `${journey.id}-${customerId}`,
              type: 'milestone.reached',
              customerId,
              occurredAt: new Date(await env.currentTimeMs()).toISOString(),
              data: { milestone: 'fifth-order' },
            },
            simulation: true,
          },
        ],
      });
      if (whileWaiting) {
        await eventually(
          async () => ((await handle.query(stateQuery)).timeline.at(-1)?.kind === 'waiting' ? true : undefined),
          `${journey.id} to wait`,
        );
        if (typeof whileWaiting === 'string') await env.sleep(whileWaiting as Duration);
        else await whileWaiting(handle);
      }
      await eventually(
        async () => ((await handle.describe()).status.name === 'RUNNING' ? undefined : true),
        `${journey.id} to end`,
      );
      // its state by query: awaiting `result()` would let the server skip time even now
      return handle.query(stateQuery);
    };
    await worker.runUntil(work(run));
  }

  it('an unconfirmed physical gift times out after 14 days as unclaimed, releasing its budget, and says why', async () => {
    await customer('greta', { tier: 'platinum', country: 'DE' });
    let state!: RunState;
    await withWorker(async (run) => {
      state = await run(giftJourney('box-gift', 'boxes'), 'greta', '15 days');
    });

    expect(state.outcome).toBe('unclaimed');
    const lines = state.timeline.filter((e) => e.step === 'gift');
    expect(lines.map((e) => `${e.kind}: ${e.detail}`)).toEqual([
      'gift: booked Geschenkbox (physical, 40 EUR, campaign boxes)',
      expect.stringMatching(/^sent: email "gift-address-request" \(de\) sent to greta@example.com$/),
      'waiting: waiting up to 14d for the shipping address',
      'timeout: gift unclaimed: no shipping address confirmed within 14d; budget released',
    ]);
    const [booked, , , timedOut] = lines;
    expect(Date.parse(timedOut.at) - Date.parse(booked.at)).toBeGreaterThanOrEqual(14 * DAY);
    // nothing was ordered, no thank-you went out: only the address request, with its signed link
    expect(mailer.messages.map((m) => m.to)).toEqual(['greta@example.com']);
    expect(mailer.messages[0].text).toMatch(/https:\/\/cx\.example\.com\/g\/[A-Za-z0-9_-]+\.\d+\.[A-Za-z0-9_-]{43}/);
    expect(state.data.gift).not.toHaveProperty('addressLink');

    const gift = await stores.gifts.get('box-gift/greta/gift');
    expect(gift).toMatchObject({
      status: 'unclaimed',
      reason: 'no shipping address confirmed within 14d',
      productId: 'box',
      cost: 45,
    });
    expect(await stores.giftOrders.forCustomer('greta')).toEqual([]);
    // the budget row shows the 45 EUR free again
    const period = periodKey(new Date(booked.at), 'year');
    expect(await stores.gifts.budgetUse('boxes', period)).toEqual({ amount: 45, currency: 'EUR', booked: 0 });
  });

  it('the cooldown holds across journeys: a gift from one journey blocks another journey’s for 12 months', async () => {
    await customer('hans', { tier: 'gold' });
    await withWorker(async (run) => {
      const first = await run(giftJourney('thank-you-gift', 'thank-you'), 'hans');
      expect(first.outcome).toBe('thanked');
      const given = first.timeline.find((e) => e.kind === 'gift')!;

      const second = await run(giftJourney('anniversary-gift', 'anniversary'), 'hans');
      expect(second.outcome).toBe('ineligible');
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const next = new Date(given.at);
      next.setUTCFullYear(next.getUTCFullYear() + 1);
      expect(second.timeline.find((e) => e.step === 'gift')).toMatchObject({
        kind: 'skipped',
        detail: `no gift (campaign anniversary): a gift on ${day(Date.parse(given.at))} (campaign thank-you), next possible ${day(next.getTime())}`,
        data: { code: 'cooldown' },
      });
      expect(await stores.gifts.get('anniversary-gift/hans/gift')).toMatchObject({ status: 'ineligible', cost: 0 });

      // thirteen months later the customer may have a gift again
      const later = await run(
        giftJourney('later-gift', 'anniversary', '  - { id: pause, type: wait, duration: 400d }\n'),
        'hans',
        '401 days',
      );
      expect(later.outcome).toBe('thanked');
      expect(later.data.gift).toMatchObject({ productId: 'voucher', code: expect.any(String) });
    });
  });

  it('a lost webhook never hangs a run: a pending order is polled until the provider says delivered', async () => {
    await customer('ida', { tier: 'gold' });
    // pending approval at first; the second lookup finds it approved and delivered, with a reward link
    const provider = new ScriptedProvider('pending-approval', 2, {
      status: 'delivered',
      reward: { link: 'https://rewards.example/r/abc' },
    });
    let state!: RunState;
    await withWorker(async (run) => {
      state = await run(giftJourney('poll-gift', 'thank-you'), 'ida', '4 hours');
    }, provider);
    expect(state.outcome).toBe('thanked');
    expect(state.data.gift).toMatchObject({ productId: 'voucher', link: 'https://rewards.example/r/abc' });
    expect(state.timeline.filter((e) => e.step === 'gift').map((e) => e.detail)).toEqual([
      'booked 25 € voucher (digital, 25 EUR, campaign thank-you)',
      '25 € voucher ordered, pending approval at the provider (scripted order S-1)',
      'waiting up to 30d for gift.delivered or gift.failed (asking the provider too)',
      '25 € voucher delivered (scripted order S-1)',
    ]);
    expect(provider.placed).toBe(1);
    expect(provider.lookups).toBe(2); // after 1 h and after 2 more
    expect(await stores.gifts.get('poll-gift/ida/gift')).toMatchObject({
      status: 'delivered',
      provider: 'scripted',
      providerOrderId: 'S-1',
      reward: { link: 'https://rewards.example/r/abc' },
    });
  });

  it('a failed order releases the budget and takes onFailure with the provider’s reason', async () => {
    await customer('jan', { tier: 'gold' });
    const provider = new ScriptedProvider('failed', 0, {}, 'the recipient email bounced');
    let state!: RunState;
    await withWorker(async (run) => {
      state = await run(giftJourney('failing-gift', 'thank-you', '', ', onFailure: no-gift'), 'jan');
    }, provider);
    expect(state.outcome).toBe('no-gift');
    expect(state.timeline.filter((e) => e.step === 'gift').at(-1)).toMatchObject({
      kind: 'failed',
      detail: 'gift not given: the recipient email bounced; taking no-gift',
    });
    const gift = await stores.gifts.get('failing-gift/jan/gift');
    expect(gift).toMatchObject({ status: 'failed', reason: 'the recipient email bounced' });
    // failed holds no budget and starts no cooldown: another gift may follow at once
    await withWorker(async (run) => {
      expect((await run(giftJourney('second-gift', 'anniversary'), 'jan')).outcome).toBe('thanked');
    });
  });

  it('a provider outage after the order was made: the run finds the order, nothing is ordered twice', async () => {
    await customer('lea', { tier: 'gold' });
    // Every answer is lost (the order is made, then the connection fails), yet the provider can be asked later.
    const provider = new LostAnswersProvider('delivered');
    let state!: RunState;
    await withWorker(async (run) => {
      // A provider timeout of seconds (1d by default), so the test takes real seconds, not a day.
      state = await run(
        giftJourney('outage-gift', 'thank-you', '', ', onFailure: no-gift, providerTimeout: 5s'),
        'lea',
      );
    }, provider);
    expect(state.outcome).toBe('thanked');
    expect(provider.created).toBe(1);
    // every attempt to place it failed; the lookup after the provider timeout found the order
    expect(provider.placed).toBeGreaterThanOrEqual(1);
    expect(state.data.gift).toMatchObject({ productId: 'voucher' });
    expect(await stores.gifts.get('outage-gift/lea/gift')).toMatchObject({ status: 'delivered' });
  });

  it('when the provider cannot say whether the order exists, the budget stays booked and the run says why', async () => {
    await customer('max', { tier: 'gold' });
    const provider = new LostAnswersProvider('delivered', { lookupsFail: true });
    let state!: RunState;
    await withWorker(async (run) => {
      // A provider timeout of seconds (1d by default), so the test takes real seconds, not a day.
      state = await run(
        giftJourney('unknown-gift', 'thank-you', '', ', onFailure: no-gift, providerTimeout: 5s'),
        'max',
      );
    }, provider);
    expect(state.outcome).toBe('no-gift');
    expect(state.timeline.filter((e) => e.step === 'gift').at(-1)?.detail).toMatch(
      /the provider could not say whether the order exists, so its budget stays booked .*; taking no-gift$/,
    );
    // still holding its budget: it may have been ordered
    expect(await stores.gifts.get('unknown-gift/max/gift')).toMatchObject({ status: 'reserved', cost: 25 });
  });

  it('a campaign that needs no marketing consent asks for the address in its own category', async () => {
    // no marketing consent: a marketing address request would be skipped and the gift unclaimed at once
    await stores.customers.upsert('nora', {
      email: 'nora@example.com',
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
      attributes: { tier: 'platinum', country: 'DE' },
    });
    let state!: RunState;
    await withWorker(async (run) => {
      state = await run(giftJourney('service-gift', 'service-boxes'), 'nora', '15 days');
    });
    expect(state.timeline.filter((e) => e.step === 'gift').map((e) => e.kind)).toEqual([
      'gift',
      'sent',
      'waiting',
      'timeout',
    ]);
    expect(mailer.messages.filter((m) => m.to === 'nora@example.com')).toHaveLength(1);
  });

  it('a run that ends while waiting for the address releases the gift', async () => {
    await customer('kai', { tier: 'platinum', country: 'DE' });
    let state!: RunState;
    await withWorker(async (run) => {
      state = await run(giftJourney('deleted-gift', 'boxes'), 'kai', (handle) =>
        handle.signal(eventSignal, {
          id: 'kai-deleted',
          type: 'customer.deleted',
          customerId: 'kai',
          occurredAt: new Date().toISOString(),
          data: {},
        }),
      );
    });
    expect(state.outcome).toBe('exited');
    expect(await stores.gifts.get('deleted-gift/kai/gift')).toMatchObject({
      status: 'released',
      reason: 'the run ended before the address was confirmed',
    });
  });
});

/**
 * A provider that answers a first status, and after `lookupsUntilChange` lookups another: an approval that
 * comes while no webhook reports it, or a refusal.
 */
class ScriptedProvider implements GiftProvider {
  readonly name = 'scripted';
  placed = 0;
  lookups = 0;
  private readonly orders = new Map<string, ProviderOrder>();

  constructor(
    private readonly first: ProviderOrder['status'],
    private readonly lookupsUntilChange: number,
    private readonly change: Partial<ProviderOrder>,
    private readonly failureReason?: string,
  ) {}

  async placeOrder(request: GiftOrderRequest): Promise<ProviderOrder> {
    this.placed++;
    const existing = this.orders.get(request.externalId);
    if (existing) return { ...existing, repeated: true };
    const order: ProviderOrder = {
      provider: this.name,
      providerOrderId: `S-${this.orders.size + 1}`,
      externalId: request.externalId,
      status: this.first,
      value: request.product.value,
      currency: request.product.currency,
      ...(this.failureReason ? { failureReason: this.failureReason } : {}),
      repeated: false,
    };
    this.orders.set(request.externalId, order);
    return order;
  }

  async getOrder(externalId: string): Promise<ProviderOrder | undefined> {
    this.lookups++;
    const order = this.orders.get(externalId);
    if (order && this.lookups >= this.lookupsUntilChange) Object.assign(order, this.change);
    return order && { ...order };
  }
}

/** A provider whose answers to placeOrder are always lost: the order is made, the caller sees a temporary error. */
class LostAnswersProvider implements GiftProvider {
  readonly name = 'lossy';
  placed = 0;
  created = 0;
  private readonly orders = new Map<string, ProviderOrder>();

  constructor(
    private readonly status: ProviderOrder['status'],
    private readonly options: { lookupsFail?: boolean } = {},
  ) {}

  async placeOrder(request: GiftOrderRequest): Promise<ProviderOrder> {
    this.placed++;
    if (!this.orders.has(request.externalId)) {
      this.created++;
      this.orders.set(request.externalId, {
        provider: this.name,
        providerOrderId: `L-${this.created}`,
        externalId: request.externalId,
        status: this.status,
        value: request.product.value,
        currency: request.product.currency,
        repeated: false,
      });
    }
    throw new GiftProviderError(this.name, 'temporary', 'the connection was reset before the answer came');
  }

  async getOrder(externalId: string): Promise<ProviderOrder | undefined> {
    if (this.options.lookupsFail) throw new GiftProviderError(this.name, 'temporary', 'service unavailable', 503);
    return this.orders.get(externalId);
  }
}
