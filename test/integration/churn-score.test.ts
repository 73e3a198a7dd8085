import type { Touchpoint } from '../../client/app';
import { JourneyCatalog, parseJourney } from '../../client/journey-catalog';
import type { RunDetail } from '../../client/runs';
import { openDatabase, type Database } from '../../activities/store/database';
import { createStores, type Stores } from '../../activities/store';
import { buildChurnModel, PUBLISHED_BG_NBD_PARAMS } from '../../activities/scoring/churn-model';
import { fitBgNbd } from '../../activities/scoring/bg-nbd-fit';
import { purchaseHistory } from '../../activities/scoring/purchase-history';
import { DEFAULT_CHURN_SETTINGS, type ChurnModel, type ChurnScore } from '../../model/churn';
import type { Order } from '../../model/order';
import { CustomerInput } from '../../model/customer';
import { touchpointCli } from '../support/cli';
import { postgresBinDir, startPostgres } from '../support/postgres';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

const AS_OF = '2026-05-07T00:00:00.000Z';
const order = (customerId: string, id: string, date: string, amount: number): Order => ({
  id,
  customerId,
  occurredAt: `${date}T00:00:00.000Z`,
  amount,
  currency: 'EUR',
});

/**
 * Five customers as of 7 May 2026, with hand-computed aggregates:
 * customer  days since last  orders  total  avg gap
 * c1        84               3       150    21 (1 Jan, 22 Jan, 12 Feb)
 * c2        6                1       20     -
 * c3        4                4       400    21 (1 Mar, 22 Mar, 12 Apr, 3 May)
 * c4        120              1       10     -
 * c5        30               2       60     60 (6 Feb, 7 Apr)
 * percentile_cont's p-th percentile of five values sits at position 4p (0-based), interpolated:
 *   days since [4, 6, 30, 84, 120] → 5.6, 20.4, 51.6, 91.2
 *   orders     [1, 1, 2, 3, 4]     → 1, 1.6, 2.4, 3.2
 *   total      [10, 20, 60, 150, 400] → 18, 44, 96, 200
 *   median gap of the repeat buyers (21, 21, 60) → 21
 */
const BASE: Order[] = [
  order('c1', 'o1', '2026-01-01', 40),
  order('c1', 'o2', '2026-01-22', 60),
  order('c1', 'o3', '2026-02-12', 50),
  order('c2', 'o1', '2026-05-01', 20),
  ...['2026-03-01', '2026-03-22', '2026-04-12', '2026-05-03'].map((date, i) => order('c3', `o${i}`, date, 100)),
  order('c4', 'o1', '2026-01-07', 10),
  order('c5', 'o1', '2026-02-06', 30),
  order('c5', 'o2', '2026-04-07', 30),
  order('c1', 'after', '2026-06-01', 999), // after AS_OF: in no figure
];
const CUT_POINTS = { recencyDays: [5.6, 20.4, 51.6, 91.2], frequency: [1, 1.6, 2.4, 3.2], monetary: [18, 44, 96, 200] };

// The same SQL on both databases; PostgreSQL when Debian's postgresql package is installed (as postgres.test.ts).
const DATABASES = ['PGlite', ...(postgresBinDir() ? ['PostgreSQL'] : [])];

describe.each(DATABASES)('the churn base model over the orders table (%s)', (kind) => {
  let db: Database;
  let stores: Stores;
  let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
  beforeAll(async () => {
    if (kind === 'PostgreSQL') postgres = await startPostgres();
    db = await openDatabase(postgres ? { kind: 'postgres', url: postgres.url } : { kind: 'pglite' });
    stores = createStores(db);
  });
  afterAll(async () => {
    await db?.close();
    postgres?.stop();
  });

  it('has the hand-computed RFM cut points, counts and typical gap; a base this small uses the published BG/NBD parameters', async () => {
    for (const o of BASE) await stores.orders.record(o, 'import');
    const model = await buildChurnModel(stores, AS_OF, DEFAULT_CHURN_SETTINGS);
    expect(model).toMatchObject({
      asOf: AS_OF,
      customers: 5,
      repeatCustomers: 3,
      rfm: CUT_POINTS,
      typicalGapDays: 21,
      typicalGapSource: 'base-median',
      bgNbd: { params: PUBLISHED_BG_NBD_PARAMS, source: 'published-default' },
    });
    expect(model.bgNbd.note).toMatch(/3 repeat buyer\(s\), fewer than the 10 a fit needs.*CHURN_BGNBD_PARAMS/);
  });

  it('fits BG/NBD from (x, tx, T) read page by page, the same as a fit over the same customers in memory', async () => {
    // 600 customers of another shop: first orders spread over 120 days, 0..4 repeat orders every 7..46 days
    const asOf = '2025-12-31T12:00:00.000Z';
    const byCustomer = new Map<string, Order[]>();
    for (let i = 0; i < 600; i++) {
      const customerId = `fit-${String(i).padStart(4, '0')}`;
      const first = Date.UTC(2025, 5, 1) + (i % 120) * 86_400_000;
      const gapDays = 7 + ((i * 13) % 40);
      const orders = Array.from({ length: 1 + ((i * 7) % 5) }, (_, j) => ({
        id: `o${j}`,
        customerId,
        occurredAt: new Date(first + j * gapDays * 86_400_000).toISOString(),
        amount: 10 + (i % 50),
        currency: 'EUR',
      }));
      byCustomer.set(customerId, orders);
    }
    await db.transaction(async (tx) => {
      for (const orders of byCustomer.values()) for (const o of orders) await stores.orders.record(o, 'import', tx);
    });
    const histories = [...byCustomer.values()].map((orders) => purchaseHistory(orders, asOf)).filter((h) => h !== null);
    const inMemory = fitBgNbd({
      x: Float64Array.from(histories, (h) => h.repeatPurchases),
      tx: Float64Array.from(histories, (h) => h.txWeeks),
      T: Float64Array.from(histories, (h) => h.ageWeeks),
    });

    // the five customers above ordered after this as-of date: only the 600 count
    const model = await buildChurnModel(stores, asOf, DEFAULT_CHURN_SETTINGS, { pageSize: 250 });
    expect(model.customers).toBe(histories.length);
    expect(model.repeatCustomers).toBe(histories.filter((h) => h.repeatPurchases > 0).length);
    expect(model.bgNbd.source).toBe('fitted');
    // the model counts customers with equal (x, tx, T) once: the same likelihood, summed in another order, so the
    // optimiser stops within its tolerance of the same point
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(model.bgNbd.params[key] / inMemory.params[key] - 1)).toBeLessThan(1e-4);
    }
    expect(model.bgNbd.logLikelihood).toBeCloseTo(inMemory.logLikelihood, 4);
  });
});

const CHURN_CHECK = `
id: churn-check
version: 1
name: Churn check after a ticket
category: transactional
trigger: { event: ticket.solved }
steps:
  - { id: risk, type: score, scorer: churn-risk, into: churnRisk }
  - { id: done, type: exit, outcome: scored }
`;

type ScoreResponse = {
  customerId: string;
  asOf: string;
  score: ChurnScore | null;
  model?: ChurnModel;
  explanation?: string;
};

describe('touchpoint customers score and GET /v1/customers/:id/score', () => {
  let touchpoint: Touchpoint;
  const get = async (path: string) => {
    const response = await fetch(`${touchpoint.url}${path}`);
    return { status: response.status, body: (await response.json()) as ScoreResponse & Record<string, unknown> };
  };

  beforeAll(async () => {
    const catalog = new JourneyCatalog([parseJourney(CHURN_CHECK, 'churn-check.yaml')]);
    // REFERENCE's parameters, so P(alive) can be checked by hand
    touchpoint = await startTestTouchpoint({ CHURN_BGNBD_PARAMS: '0.243,4.414,0.793,2.426' }, { catalog });
    for (const o of BASE) await touchpoint.stores.orders.record(o, 'import');
    for (const id of ['c1', 'c2', 'c4', 'lead', 'lapsed']) {
      await touchpoint.stores.customers.upsert(id, CustomerInput.parse({ email: `${id}@example.com` }));
    }
  });
  afterAll(() => touchpoint?.stop());

  it('explains a repeat buyer: history, RFM, P(alive), risk with reasons, and the model it used', async () => {
    const { status, body } = await get(`/v1/customers/c1/score?asOf=${AS_OF}`);
    expect(status).toBe(200);
    expect(body.model).toMatchObject({
      asOf: AS_OF,
      customers: 5,
      rfm: CUT_POINTS,
      typicalGapDays: 21,
      bgNbd: { params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, source: 'configured' },
    });
    // x = 2, tx = 6 weeks, T = 18 weeks: P(alive) = 1 / (1 + 0.793/3.426 · (22.414/10.414)^2.243) = 0.4363
    // 84 days → R2 (above 51.6, not 91.2); 3 orders → F4 (above 2.4); 150 → M4 (above 96)
    // risk = 0.6 × 0.564 + 0.25 × 1 (84 days ≥ 3 × 21) + 0.15 × 3/4 = 0.701
    expect(body.score).toMatchObject({
      risk: 0.701,
      method: 'bg-nbd',
      pAlive: 0.4363,
      rfm: { r: 2, f: 4, m: 4, code: 'R2F4M4', segment: 'big spender gone quiet' },
      history: { orders: 3, repeatPurchases: 2, daysSinceLastOrder: 84, usualGapDays: 21, total: 150 },
      reasons: [
        'P(alive) 0.44: 2 repeat purchases in 18 weeks since the first',
        'no order for 84 days, usually every 21 days',
        'RFM R2F4M4: big spender gone quiet',
      ],
    });
    expect(body.score!.clv).toBeGreaterThan(0);
  });

  it('scores one-purchase customers by the rule: days since versus the base’s typical gap', async () => {
    const lapsed = (await get(`/v1/customers/c4/score?asOf=${AS_OF}`)).body.score;
    // 120 days, typical gap 21, k = 3: (120/21 − 1)/2 > 1 → 1
    expect(lapsed).toMatchObject({ risk: 1, method: 'one-purchase-rule', pAlive: 1, rfm: { code: 'R1F1M1' } });
    expect(lapsed!.reasons[0]).toBe(
      'one purchase only, 120 days ago; customers here usually buy again within 21 days, so the risk rises from 21 days and is full at 63',
    );
    const recent = (await get(`/v1/customers/c2/score?asOf=${AS_OF}`)).body.score;
    expect(recent).toMatchObject({ risk: 0, rfm: { code: 'R4F1M2', segment: 'new' } });
  });

  it('gives no score without orders, 404 for an unknown customer, 400 for a bad as-of', async () => {
    expect((await get('/v1/customers/lead/score')).body).toMatchObject({
      score: null,
      explanation: expect.stringMatching(/^no orders as of .*: a customer is scored from their first order on$/),
    });
    expect((await get('/v1/customers/nobody/score')).status).toBe(404);
    const bad = await get('/v1/customers/c1/score?asOf=last-tuesday');
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([
      { path: 'asOf', message: 'must be an ISO date-time, e.g. 2026-05-07T00:00:00Z' },
    ]);
  });

  it('the CLI prints the explanation; bad input exits 2', async () => {
    const result = await touchpointCli(['customers', 'score', 'c1', '--as-of', AS_OF], touchpoint.url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Churn risk  0.701 (bg-nbd)');
    expect(result.stdout).toContain('  - no order for 84 days, usually every 21 days');
    expect(result.stdout).toContain('RFM         R2F4M4 (big spender gone quiet)');
    expect(result.stdout).toContain('P(alive)    0.4363');
    expect(result.stdout).toContain('r=0.2430 alpha=4.4140 a=0.7930 b=2.4260 (weeks; configured)');
    expect(result.stdout).toContain(
      'RFM cuts  days since last order 5.6/20.4/51.6/91.2; orders 1/1.6/2.4/3.2; spend 18/44/96/200',
    );
    const json = await touchpointCli(['customers', 'score', 'c4', '--as-of', AS_OF, '--json'], touchpoint.url);
    expect(JSON.parse(json.stdout).score.risk).toBe(1);
    const bad = await touchpointCli(['customers', 'score', 'c1', '--as-of', 'yesterday'], touchpoint.url);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('asOf');
  });

  it('a churn-risk score step keeps the risk in data, its reasons in data.<into>Reasons and the timeline', async () => {
    // One order of 5 EUR 400 days before now: the run scores as of its own (current) time, against today's
    // model, where c1's June order counts too: c1's gap is 151 days / 3 = 50.3, the median of (21, 50.3, 60) is 50.3.
    const placed = new Date(Date.now() - 400 * 86_400_000 - 3_600_000).toISOString();
    await touchpoint.stores.orders.record({ ...order('lapsed', 'o1', '2000-01-01', 5), occurredAt: placed }, 'import');
    const response = await fetch(`${touchpoint.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'churn-check-1',
        type: 'ticket.solved',
        customerId: 'lapsed',
        data: { ticketId: 'T-1' },
      }),
    });
    expect(response.status).toBeLessThan(300);
    const run = await eventually(async () => {
      const detail = (await (await fetch(`${touchpoint.url}/v1/runs/churn-check/lapsed`)).json()) as RunDetail;
      return detail.status === 'completed' ? detail : undefined;
    }, 'the churn check to complete');
    const reason =
      'one purchase only, 400 days ago; customers here usually buy again within 50 days, so the risk rises from 50 days and is full at 151';
    expect(run.state?.data).toMatchObject({ churnRisk: 1, churnRiskReasons: [reason, 'RFM R1F1M1: hibernating'] });
    const entry = run.state?.timeline.find((e) => e.kind === 'score');
    expect(entry?.detail).toBe(`churn-risk = 1 (data.churnRisk): ${reason}; RFM R1F1M1: hibernating`);
  });
});
