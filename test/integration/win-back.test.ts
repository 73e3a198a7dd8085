import type { Touchpoint } from '../../client/app';
import { ChurnScans, type ChurnScanRun, type ChurnScanStatus } from '../../client/churn-scans';
import type { RouteResult } from '../../client/event-router';
import type { RunDetail } from '../../client/runs';
import { bucket } from '../../model/bucket';
import { periodKey } from '../../model/period';
import { touchpointCli } from '../support/cli';
import { eventually, shortenedCatalog, startTestTouchpoint } from '../support/touchpoint';

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** A customer id in the treated group (or the holdout) of win-back's split: the holdout is the lowest 10% of buckets. */
function customerIn(group: 'treated' | 'holdout', prefix: string): string {
  for (let i = 0; ; i++) {
    const id = `${prefix}-${i}`;
    if (bucket(`win-back/${id}/group`) < 0.1 === (group === 'holdout')) return id;
  }
}

function api(touchpoint: Touchpoint) {
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> =>
    (
      await fetch(`${touchpoint.url}${url}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json() as Promise<T>;
  let n = 0;
  return {
    call,
    event: (type: string, customerId: string, data: Record<string, unknown>, occurredAt?: string) =>
      call<RouteResult>('POST', '/v1/events', { id: `wb-test-${++n}`, type, customerId, data, occurredAt }),
    run: (id: string) => call<RunDetail>('GET', `/v1/runs/${encodeURIComponent(id)}`),
    completed: (id: string) =>
      eventually(async () => {
        const detail = await call<RunDetail>('GET', `/v1/runs/${encodeURIComponent(id)}`);
        return detail.status === 'completed' ? detail : undefined;
      }, `${id} to complete`),
    inbox: async (to: string) =>
      (await call<{ messages: { subject: string; text: string }[] }>('GET', `/v1/inbox?to=${to}`)).messages,
    outcome: async (workflowId: string) =>
      (
        await touchpoint.stores.db.query<{ outcome: string; ended_by: string | null; holdout: boolean; paths: object }>(
          'SELECT outcome, ended_by, holdout, paths FROM run_outcomes WHERE workflow_id = $1',
          [workflowId],
        )
      )[0],
  };
}

describe('win-back: the sequence, the goal and the holdout (waits shortened to a second)', () => {
  let touchpoint: Touchpoint;
  let tp: ReturnType<typeof api>;

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint(
      { CHURN_SCAN_SCHEDULE: 'off' },
      { catalog: shortenedCatalog({ 'pause-1': '1s', 'pause-2': '1s', 'pause-3': '1s', holdout: '1s' }) },
    );
    tp = api(touchpoint);
  });
  afterAll(() => touchpoint?.stop());

  it('a treated customer gets three messages with a personal coupon, and no order marks them lost', async () => {
    const id = customerIn('treated', 'wb');
    await tp.call('PUT', `/v1/customers/${id}`, {
      email: `${id}@example.com`,
      name: 'Wim',
      consent: { marketing: 'granted' },
    });
    const reasons = ['no order for 94 days, usually every 21', 'P(alive) 0.31'];
    await tp.event('churn.risk_detected', id, { period: '2026-11', risk: 0.82, reasons });
    const run = await tp.completed(`win-back/${id}/2026-11`);
    expect(run.state?.outcome).toBe('lost');
    expect(run.state?.data.group).toBe('treated');

    // The risk and its reasons: on the CRM record and in the run's timeline.
    const riskNote = 'Churn risk 0.82 (2026-11): no order for 94 days, usually every 21; P(alive) 0.31.';
    const notes = (await touchpoint.stores.crm.notes(id)).map((note) => note.body);
    expect(notes).toEqual([riskNote, 'Win-back 2026-11 ended without an order.']);
    expect(run.state?.timeline.find((e) => e.step === 'record-risk')?.detail).toContain(riskNote);

    const coupon = run.state?.data.coupon as { code: string; percentOff: number; expiresAt: string };
    expect(coupon.code).toMatch(/^WB-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(coupon.percentOff).toBe(15);
    const subjects = (await tp.inbox(`${id}@example.com`)).map((m) => m.subject).reverse();
    const expires = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(coupon.expiresAt),
    );
    expect(subjects).toEqual([
      'We miss you, Wim',
      '15% off your next order, just for you',
      `Last chance: your code ${coupon.code} expires on ${expires}`,
    ]);
    expect(await touchpoint.stores.coupons.forCustomer(id)).toEqual([
      expect.objectContaining({ code: coupon.code, campaign: 'win-back', percentOff: 15 }),
    ]);
    const customer = await tp.call<{ attributes: Record<string, unknown> }>('GET', `/v1/customers/${id}`);
    expect(customer.attributes).toMatchObject({ winBack: 'lost', churnRisk: '0.82' });
    expect(await tp.outcome(`win-back/${id}/2026-11`)).toEqual({
      outcome: 'lost',
      ended_by: null,
      holdout: false,
      paths: { group: 'treated' },
    });
  });

  it('holdout members receive nothing, and are watched for the same two weeks', async () => {
    const id = customerIn('holdout', 'hold');
    await tp.call('PUT', `/v1/customers/${id}`, { email: `${id}@example.com`, consent: { marketing: 'granted' } });
    await tp.event('churn.risk_detected', id, { period: '2026-11', risk: 0.9, reasons: [] });
    const run = await tp.completed(`win-back/${id}/2026-11`);
    expect(run.state?.outcome).toBe('holdout-lost');
    expect(run.state?.data).toMatchObject({ group: 'holdout', holdout: true });
    expect(run.state?.timeline.filter((e) => ['sent', 'coupon'].includes(e.kind))).toEqual([]);
    expect(await tp.inbox(`${id}@example.com`)).toEqual([]);
    expect(await touchpoint.stores.coupons.forCustomer(id)).toEqual([]);
    expect(await tp.outcome(`win-back/${id}/2026-11`)).toMatchObject({ outcome: 'holdout-lost', holdout: true });
  });
});

describe('win-back: an order ends a sleeping run at once (real waits of days)', () => {
  let touchpoint: Touchpoint;
  let tp: ReturnType<typeof api>;

  beforeAll(async () => {
    // Only the first pause is short: the run then sleeps for days after the coupon offer.
    touchpoint = await startTestTouchpoint(
      { CHURN_SCAN_SCHEDULE: 'off' },
      { catalog: shortenedCatalog({ 'pause-1': '1s' }) },
    );
    tp = api(touchpoint);
  });
  afterAll(() => touchpoint?.stop());

  it('an order with the coupon during the 4-day wait ends the run as won back and redeems the code', async () => {
    const id = customerIn('treated', 'back');
    await tp.call('PUT', `/v1/customers/${id}`, { email: `${id}@example.com`, consent: { marketing: 'granted' } });
    await tp.event('churn.risk_detected', id, { period: '2026-11', risk: 0.75, reasons: ['no order for 60 days'] });
    const workflowId = `win-back/${id}/2026-11`;
    const waiting = await eventually(async () => {
      const run = await tp.run(workflowId);
      return run.state?.currentStep === 'pause-2' ? run : undefined;
    }, 'the run to sleep after the offer');
    const { code } = waiting.state?.data.coupon as { code: string };

    const routed = await tp.event('order.placed', id, {
      orderId: 'o-back',
      amount: 42,
      currency: 'EUR',
      couponCode: code,
    });
    expect(routed.signalled).toEqual([workflowId]);
    const run = await tp.completed(workflowId);
    expect(run.state?.outcome).toBe('won-back');
    expect(run.state?.endedBy).toMatchObject({ kind: 'goal', eventType: 'order.placed' });
    // It ended in the wait: no last-chance mail, no "lost" mark.
    expect((await tp.inbox(`${id}@example.com`)).map((m) => m.subject)).toHaveLength(2);
    expect(run.state?.timeline.some((e) => e.step === 'mark-lost')).toBe(false);
    expect(await tp.outcome(workflowId)).toMatchObject({ outcome: 'won-back', ended_by: 'goal', holdout: false });
    expect(await touchpoint.stores.coupons.forCustomer(id)).toEqual([
      expect.objectContaining({ code, redeemedOrderId: 'o-back' }),
    ]);
    expect(await touchpoint.stores.orders.ofCustomer(id)).toEqual([
      expect.objectContaining({ id: 'o-back', amount: 42, currency: 'EUR' }),
    ]);
  });
});

/**
 * The fixture base, dated relative to now: who is at risk is plain from the histories.
 * - regulars: an order every 14 days for a year, the last one 3 to 6 days ago (not at risk); the first one
 *   364 to 367 days ago, so three in four have their first anniversary due (within the 7 days' grace)
 * - lapsed: an order every 14 days for most of a year, then nothing for 150 days (at risk)
 * - gone: one order 300 days ago, where the base's usual gap is 14 days (at risk by the one-purchase rule)
 * - newcomers: one order 4 days ago (not at risk)
 * - leads: no orders (not scored)
 */
const FIXTURE = {
  regulars: 24,
  lapsed: 5,
  gone: 3,
  newcomers: 3,
  leads: 2,
};

async function loadFixture(touchpoint: Touchpoint): Promise<string[]> {
  const { customers, orders } = touchpoint.stores;
  const atRisk: string[] = [];
  const add = async (id: string, orderDays: number[]) => {
    await customers.upsert(id, {
      email: `${id}@example.com`,
      locale: 'en',
      timeZone: 'UTC',
      attributes: {},
      consent: { marketing: 'granted' },
    });
    for (const [i, days] of orderDays.entries()) {
      await orders.record(
        { id: `${id}-o${i}`, customerId: id, occurredAt: daysAgo(days), amount: 20 + (i % 5) * 10, currency: 'EUR' },
        'import',
      );
    }
  };
  const every14 = (from: number, to: number) => Array.from({ length: (from - to) / 14 + 1 }, (_, i) => from - i * 14);
  for (let i = 0; i < FIXTURE.regulars; i++) await add(`c-regular-${i}`, every14(367 - (i % 4), 3 + (i % 4)));
  for (let i = 0; i < FIXTURE.lapsed; i++) {
    await add(`c-lapsed-${i}`, every14(360, 150 + i * 2));
    atRisk.push(`c-lapsed-${i}`);
  }
  for (let i = 0; i < FIXTURE.gone; i++) {
    await add(`c-gone-${i}`, [300 + i]);
    atRisk.push(`c-gone-${i}`);
  }
  for (let i = 0; i < FIXTURE.newcomers; i++) await add(`c-new-${i}`, [4]);
  for (let i = 0; i < FIXTURE.leads; i++) await add(`c-lead-${i}`, []);
  return atRisk;
}

// A small page size, so the fixture takes several pages.
const SCAN_ENV = { CHURN_SCAN_PAGE_SIZE: '7', CHURN_RISK_THRESHOLD: '0.6' };
const SCAN_CONFIG = {
  cron: '0 3 * * *',
  timeZone: 'UTC',
  settings: { threshold: 0.6, period: 'month', pageSize: 7, reenrolAfterDays: 30 },
} as const;

describe('the daily churn scan: a Temporal Schedule that enrols customers at risk, once per period', () => {
  let touchpoint: Touchpoint;
  let tp: ReturnType<typeof api>;
  let expected: string[];
  const cli = (...args: string[]) => touchpointCli(args, touchpoint.url);

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint(SCAN_ENV);
    tp = api(touchpoint);
    expected = await loadFixture(touchpoint);
    // Two of them were enrolled by an earlier period's scan: 10 days ago (their win-back may still run, so
    // not again yet) and 45 days ago (long over: enrolled again).
    const previous = periodKey(daysAgo(40), 'month');
    for (const [id, days] of [
      ['c-gone-0', 10],
      ['c-gone-1', 45],
    ] as const) {
      const { event } = await touchpoint.stores.events.record({
        id: `churn:${previous}:${id}`,
        type: 'churn.risk_detected',
        customerId: id,
        occurredAt: daysAgo(days),
        data: { period: previous, risk: 0.9, reasons: [] },
      });
      const started = [`win-back/${id}/${previous}`];
      await touchpoint.stores.events.markRouted(event.id, { started, existing: [], signalled: [], skipped: [] });
    }
  });
  afterAll(() => touchpoint?.stop());

  const winBackRuns = async () =>
    (
      await touchpoint.stores.db.query<{ id: string; routing: { started: string[] } }>(
        `SELECT id, routing FROM events WHERE type = 'churn.risk_detected' ORDER BY id`,
      )
    )
      .flatMap((event) => event.routing.started)
      .filter((id) => id.endsWith(`/${periodKey(new Date().toISOString(), 'month')}`));

  it('is created on start-up, and starting again leaves one schedule', async () => {
    const status = await tp.call<ChurnScanStatus>('GET', '/v1/churn-scan');
    expect(status).toMatchObject({
      scheduleId: `${touchpoint.taskQueue}-churn-scan`,
      scheduled: true,
      paused: false,
      cron: '0 3 * * *',
      settings: { threshold: 0.6, period: 'month', pageSize: 7 },
    });
    expect(status.nextRuns[0]).toMatch(/T03:00:00\.000Z$/);
    // A second Touchpoint on the same task queue (a restart, a second machine) updates, never duplicates.
    const second = await startTestTouchpoint(
      { ...SCAN_ENV, CHURN_SCAN_SCHEDULE: '30 4 * * *', CHURN_RISK_THRESHOLD: '0.65' },
      { taskQueue: touchpoint.taskQueue },
    );
    try {
      const schedules: string[] = [];
      for await (const schedule of touchpoint.client.schedule.list()) schedules.push(schedule.scheduleId);
      expect(schedules.filter((id) => id === status.scheduleId)).toHaveLength(1);
      const updated = await tp.call<ChurnScanStatus>('GET', '/v1/churn-scan');
      expect(updated.nextRuns[0]).toMatch(/T04:30:00\.000Z$/);
      expect(updated.settings.threshold).toBe(0.65);
    } finally {
      await second.stop();
    }
    // Back to this Touchpoint's configuration, as its next start would do.
    await new ChurnScans({ client: touchpoint.client, taskQueue: touchpoint.taskQueue, config: SCAN_CONFIG }).ensure();
    expect((await tp.call<ChurnScanStatus>('GET', '/v1/churn-scan')).settings.threshold).toBe(0.6);
  });

  it('pages through the customers and starts exactly the runs of those at risk; run again, it starts none', async () => {
    const period = periodKey(new Date().toISOString(), 'month');
    const first = await cli('churn-scan', 'trigger', '--wait', '--json');
    expect(first.stderr).toMatch(/scanning: /); // progress while it runs (no terminal: a line per page)
    expect(first.code).toBe(0);
    const run = JSON.parse(first.stdout) as ChurnScanRun;
    const total = Object.values(FIXTURE).reduce((a, b) => a + b, 0);
    expect(run.status).toBe('completed');
    expect(run.progress).toMatchObject({
      phase: 'done',
      period,
      totalCustomers: total,
      pages: Math.ceil(total / 7),
      counts: {
        customers: total,
        scored: total - FIXTURE.leads,
        unscored: FIXTURE.leads,
        atRisk: expected.length,
        started: expected.length - 1,
        alreadyEnrolled: 0,
        recentlyEnrolled: 1,
        notStarted: 0,
        anniversaries: (FIXTURE.regulars * 3) / 4,
      },
    });
    const enrolled = expected.filter((id) => id !== 'c-gone-0');
    expect((await winBackRuns()).sort()).toEqual(enrolled.map((id) => `win-back/${id}/${period}`).sort());
    const anniversaries = await touchpoint.stores.db.query<{ id: string }>(
      `SELECT id FROM events WHERE type = 'milestone.reached' ORDER BY id`,
    );
    const due = Array.from({ length: FIXTURE.regulars }, (_, i) => i)
      .filter((i) => 367 - (i % 4) >= 365)
      .map((i) => `milestone:c-regular-${i}:anniversary-1`);
    expect(anniversaries.map((e) => e.id)).toEqual(due.sort());
    // Each run carries the customer's reasons.
    const lapsed = await tp.run(`win-back/c-lapsed-0/${period}`);
    expect(lapsed.state?.timeline.find((e) => e.step === 'record-risk')?.detail).toMatch(/Churn risk 0\.\d+/);

    const second = await tp.call<ChurnScanRun>('POST', '/v1/churn-scan/trigger');
    const again = await eventually(async () => {
      const scan = await tp.call<ChurnScanRun>('GET', `/v1/churn-scan/runs/${encodeURIComponent(second.workflowId)}`);
      return scan.status === 'completed' ? scan : undefined;
    }, 'the second scan');
    expect(again.workflowId).not.toBe(run.workflowId);
    expect(again.progress?.counts).toMatchObject({
      atRisk: expected.length,
      started: 0,
      alreadyEnrolled: expected.length - 1,
      recentlyEnrolled: 1,
      anniversaries: 0,
    });
    expect((await winBackRuns()).length).toBe(expected.length - 1);
  });

  it('pause, resume and status work through the CLI', async () => {
    const paused = await cli('churn-scan', 'pause', '--note', 'holiday freeze');
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain('PAUSED (holiday freeze)');
    expect(await tp.call<ChurnScanStatus>('GET', '/v1/churn-scan')).toMatchObject({
      paused: true,
      note: 'holiday freeze',
    });
    const resumed = await cli('churn-scan', 'resume');
    expect(resumed.stdout).toMatch(/: active, "0 3 \* \* \*" UTC, threshold 0\.6, one run per month/);
    const status = await cli('churn-scan', 'status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('recent:');
    expect(status.stdout).toContain(`${expected.length - 1} win-back runs started`);
    expect(status.stdout).toContain('1 enrolled within the last 30 days');
  });
});
