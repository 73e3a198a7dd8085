import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { RecordingMailer } from '../../activities/email/recording-mailer';
import { TremendousGiftProvider } from '../../activities/gifts/providers/tremendous';
import { openDatabase, type Database } from '../../activities/store/database';
import { createStores, type Stores } from '../../activities/store';
import { parseJourney } from '../../client/journey-catalog';
import { GiftCatalog } from '../../model/gift';
import { startTimeSkippingEnvironment } from '../../scripts/test-server';
import { installWorkerRuntime } from '../../worker/runtime';
import type { journey as journeyWorkflow } from '../../workflows/journey';
import { testActivities } from '../support/activities';
import { eventually } from '../support/touchpoint';
import { TremendousTestServer, startTremendousServer } from '../support/tremendous-server';

/**
 * No status webhook ever arrives: the gift step polls the provider (getGiftOrder), so an order approved at
 * Tremendous is found an hour later (the time-skipping server makes that hour pass at once) and the thank-you
 * carries the reward link the approval produced.
 */
const catalog = GiftCatalog.parse({
  campaigns: [{ id: 'thanks', budget: { amount: 100, currency: 'EUR', period: 'year' }, products: ['voucher'] }],
  products: [
    {
      id: 'voucher',
      kind: 'digital',
      name: { en: '25 € voucher' },
      value: 25,
      currency: 'EUR',
      cost: 25,
      delivery: 'LINK',
    },
  ],
});

const journey = parseJourney(
  `id: provider-polling
version: 1
name: provider polling
category: marketing
trigger: { event: milestone.reached }
steps:
  - { id: gift, type: gift, campaign: thanks, onFailure: gift-failed }
  - { id: thanks, type: send, template: thank-you-gift }
  - { id: thanked, type: exit, outcome: thanked }
  - { id: gift-failed, type: exit, outcome: gift-failed }
`,
  'provider-polling.yaml',
);

describe('gift order status by polling the provider', () => {
  let env: TestWorkflowEnvironment;
  let server: TremendousTestServer;
  let db: Database;
  let stores: Stores;
  let mailer: RecordingMailer;

  beforeAll(async () => {
    installWorkerRuntime('ERROR');
    env = await startTimeSkippingEnvironment();
    server = await startTremendousServer();
    db = await openDatabase({ kind: 'pglite' });
    stores = createStores(db);
    mailer = new RecordingMailer();
  });
  afterAll(async () => {
    await db?.close();
    await server?.close();
    await env?.teardown();
  });

  async function runGift(customerId: string, whilePending: () => void) {
    await stores.customers.upsert(customerId, {
      email: `${customerId}@example.com`,
      name: customerId,
      locale: 'en',
      timeZone: 'UTC',
      attributes: {},
      consent: { marketing: 'granted' },
    });
    const taskQueue = `gift-polling-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.TOUCHPOINT_TEST_WORKFLOW_BUNDLE! },
      activities: testActivities({
        stores,
        mailer,
        giftCatalog: catalog,
        giftProvider: new TremendousGiftProvider({
          baseUrl: server.url,
          apiKey: server.apiKey,
          fundingSourceId: 'balance',
          timeoutMs: 5_000,
        }),
      }),
    });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof journeyWorkflow>('journey', {
        taskQueue,
        workflowId: `${journey.id}/${customerId}`,
        args: [
          {
            journey,
            customerId,
            customer: { locale: 'en', timeZone: 'UTC', attributes: {} },
            trigger: {
              id: `m-${customerId}`,
              type: 'milestone.reached',
              customerId,
              occurredAt: new Date(await env.currentTimeMs()).toISOString(),
              data: { milestone: 'fifth-order' },
            },
            simulation: true,
          },
        ],
      });
      const key = `${journey.id}/${customerId}/gift`;
      await eventually(
        async () => ((await stores.gifts.get(key))?.status === 'pending-approval' ? true : undefined),
        'the order to be pending approval',
      );
      whilePending();
      // awaiting the result lets the server skip the hour to the next poll
      return { state: await handle.result(), key };
    });
  }

  it('an order approved at the provider is found by polling, and the thank-you carries its reward link', async () => {
    server.approvalRequired = true;
    const { state, key } = await runGift('polly', () => server.approve(`${journey.id}/polly/gift`));

    expect(state.outcome).toBe('thanked');
    const link = server.order(key).rewards[0].delivery.link!;
    expect(state.data.gift).toMatchObject({ link });
    expect(mailer.messages.find((m) => m.to === 'polly@example.com')?.text).toContain(link);
    expect(await stores.gifts.get(key)).toMatchObject({ status: 'delivered', reward: { link } });
    expect(server.orders().filter((o) => o.external_id === key)).toHaveLength(1);
  });

  it('an order rejected at the provider ends the gift as failed, with the reason, on the onFailure path', async () => {
    server.approvalRequired = true;
    const { state, key } = await runGift('rex', () => server.reject(`${journey.id}/rex/gift`));

    expect(state.outcome).toBe('gift-failed');
    expect(state.timeline.map((e) => e.detail)).toContainEqual(expect.stringContaining('rejected at Tremendous'));
    expect(mailer.messages.filter((m) => m.to === 'rex@example.com')).toEqual([]);
    expect((await stores.gifts.get(key))?.status).toMatch(/failed|released/);
  });
});
