import type { Touchpoint } from '../../client/app';
import type { RouteResult } from '../../client/event-router';
import type { RunDetail } from '../../client/runs';
import type { GiftBudgetUse, GiftList } from '../../model/gift-report';
import { touchpointCli } from '../support/cli';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

/**
 * Gift triggers and the admin side of gifts on the real stack: milestones from order events, manual gift
 * requests (API and CLI), and the ledger lists and budget use over rows inserted through SQL.
 */
describe('gift triggers, requests, lists and budgets', () => {
  let touchpoint: Touchpoint;
  beforeAll(async () => {
    touchpoint = await startTestTouchpoint();
  });
  afterAll(async () => {
    await touchpoint?.stop();
  });

  const call = async <T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${touchpoint.url}${url}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const putCustomer = (id: string, extra: Record<string, unknown> = {}) =>
    call('PUT', `/v1/customers/${id}`, { email: `${id}@example.com`, ...extra });
  const order = (customerId: string, orderId: string, amount: number, eventId = `ev-${customerId}-${orderId}`) =>
    call<RouteResult>('POST', '/v1/events', {
      id: eventId,
      type: 'order.placed',
      customerId,
      data: { orderId, amount, currency: 'EUR' },
    });
  /** How the milestone events of a customer were routed (the event log, by id). */
  const milestoneEvents = (customerId: string) =>
    touchpoint.stores.db.query<{ id: string; routing: { started: string[]; existing: string[] } }>(
      `SELECT id, routing FROM events WHERE type = 'milestone.reached' AND customer_id = $1 ORDER BY id`,
      [customerId],
    );
  const runExists = async (workflowId: string) =>
    (await call<RunDetail>('GET', `/v1/runs/${encodeURIComponent(workflowId)}`)).status === 200;

  // First, while no run has booked a gift: the lists see the fixture alone.
  describe('lists and budget use over a ledger fixture', () => {
    // [key, customer, campaign, period, cost, currency, status, created_at]
    const rows: [string, string, string, string, number, string, string, string][] = [
      ['g01', 'c1', 'thank-you', '2025-11', 25, 'EUR', 'delivered', '2025-11-01T10:00:00Z'],
      ['g02', 'c2', 'thank-you', '2025-11', 45, 'EUR', 'ordered', '2025-11-02T10:00:00Z'],
      ['g03', 'c3', 'thank-you', '2025-11', 24, 'EUR', 'reserved', '2025-11-03T10:00:00Z'],
      ['g04', 'c4', 'thank-you', '2025-11', 45, 'EUR', 'awaiting-address', '2025-11-04T10:00:00Z'],
      ['g05', 'c5', 'thank-you', '2025-11', 25, 'EUR', 'pending-approval', '2025-11-05T10:00:00Z'],
      ['g06', 'c6', 'thank-you', '2025-11', 45, 'EUR', 'unclaimed', '2025-11-06T10:00:00Z'],
      ['g07', 'c7', 'thank-you', '2025-11', 25, 'EUR', 'failed', '2025-11-07T10:00:00Z'],
      ['g08', 'c8', 'thank-you', '2025-11', 24, 'EUR', 'released', '2025-11-07T10:00:00Z'], // same instant as g07
      ['g09', 'c9', 'thank-you', '2025-11', 0, 'EUR', 'ineligible', '2025-11-08T10:00:00Z'],
      ['g10', 'c1', 'thank-you', '2025-10', 25.5, 'EUR', 'delivered', '2025-10-10T10:00:00Z'],
      ['g11', 'c2', 'thank-you', '2025-10', 49.4, 'EUR', 'delivered', '2025-10-11T10:00:00Z'],
      ['g12', 'c3', 'vip', '2025-Q4', 60, 'USD', 'ordered', '2025-11-09T10:00:00Z'],
    ];
    beforeAll(async () => {
      for (const [key, customer, campaign, period, cost, currency, status, at] of rows) {
        await touchpoint.stores.db.query(
          `INSERT INTO gifts (key, workflow_id, journey_id, customer_id, campaign, period, product_id, kind, cost,
             currency, status, reason, created_at, updated_at)
           VALUES ($1, $2, 'fixture', $3, $4, $5, 'voucher-eur', 'digital', $6, $7, $8, $9, $10, $10)`,
          [
            key,
            `fixture/${customer}/${key}`,
            customer,
            campaign,
            period,
            cost,
            currency,
            status,
            status === 'ineligible' ? 'tier basic is not in gold, platinum' : null,
            at,
          ],
        );
      }
      for (const [campaign, period, amount] of [
        ['thank-you', '2025-11', 500],
        ['thank-you', '2025-10', 100],
        ['promoter', '2025-11', 200],
      ] as const) {
        await touchpoint.stores.db.query(
          `INSERT INTO gift_budgets (campaign, period, amount, currency) VALUES ($1, $2, $3, 'EUR')`,
          [campaign, period, amount],
        );
      }
    });

    const keys = (list: GiftList) => list.gifts.map((g) => g.key);

    it('GET /v1/gifts lists newest first and pages without gaps or repeats (ties by key)', async () => {
      const all = await call<GiftList>('GET', '/v1/gifts?limit=500');
      expect(keys(all.body)).toEqual([
        'g12',
        'g09',
        'g08',
        'g07',
        'g06',
        'g05',
        'g04',
        'g03',
        'g02',
        'g01',
        'g11',
        'g10',
      ]);
      expect(all.body.nextCursor).toBeUndefined();
      expect(all.body.gifts[0]).toEqual({
        key: 'g12',
        workflowId: 'fixture/c3/g12',
        journeyId: 'fixture',
        customerId: 'c3',
        campaign: 'vip',
        period: '2025-Q4',
        productId: 'voucher-eur',
        kind: 'digital',
        cost: 60,
        currency: 'USD',
        status: 'ordered',
        reason: null,
        provider: null,
        providerOrderId: null,
        createdAt: '2025-11-09T10:00:00.000Z',
        updatedAt: '2025-11-09T10:00:00.000Z',
      });

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await call<GiftList>('GET', `/v1/gifts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        pages.push(keys(page.body));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(pages).toEqual([
        ['g12', 'g09', 'g08'],
        ['g07', 'g06', 'g05'],
        ['g04', 'g03', 'g02'],
        ['g01', 'g11', 'g10'],
      ]);
    });

    it('filters by campaign, status, customer and since', async () => {
      const get = async (query: string) => keys((await call<GiftList>('GET', `/v1/gifts?${query}`)).body);
      expect(await get('status=delivered')).toEqual(['g01', 'g11', 'g10']);
      expect(await get('campaign=vip')).toEqual(['g12']);
      expect(await get('customer=c2')).toEqual(['g02', 'g11']);
      expect(await get('since=2025-11-07&campaign=thank-you')).toEqual(['g09', 'g08', 'g07']);
      expect(await get('since=2025-11-07T10:00:00Z&status=failed')).toEqual(['g07']);
    });

    it('bad filters are a 400 naming the parameter', async () => {
      const status = await call<{ problems: { path: string; message: string }[] }>('GET', '/v1/gifts?status=lost');
      expect(status.status).toBe(400);
      expect(status.body.problems[0].path).toBe('status');
      const cursor = await call<{ problems: { path: string; message: string }[] }>('GET', '/v1/gifts?cursor=abc');
      expect(cursor.status).toBe(400);
      expect(cursor.body.problems).toEqual([
        { path: 'cursor', message: 'is not a nextCursor of this list; start again without it' },
      ]);
      const limit = await call<{ problems: { path: string }[] }>('GET', '/v1/gifts?limit=0');
      expect(limit.body.problems[0].path).toBe('limit');
    });

    it('GET /v1/gifts/budgets: booked, delivered, released and remaining per campaign and period', async () => {
      const { status, body } = await call<{ budgets: GiftBudgetUse[] }>('GET', '/v1/gifts/budgets');
      expect(status).toBe(200);
      expect(body.budgets).toEqual([
        {
          campaign: 'promoter',
          period: '2025-11',
          currency: 'EUR',
          amount: 200,
          booked: 0,
          delivered: 0,
          released: 0,
          remaining: 200,
          gifts: 0,
          ineligible: 0,
        },
        // holding: 25 + 45 + 24 + 45 + 25 = 164; released: unclaimed 45 + failed 25 + released 24 = 94
        {
          campaign: 'thank-you',
          period: '2025-11',
          currency: 'EUR',
          amount: 500,
          booked: 164,
          delivered: 25,
          released: 94,
          remaining: 336,
          gifts: 5,
          ineligible: 1,
        },
        // 25.50 + 49.40 = 74.90 of 100
        {
          campaign: 'thank-you',
          period: '2025-10',
          currency: 'EUR',
          amount: 100,
          booked: 74.9,
          delivered: 74.9,
          released: 0,
          remaining: 25.1,
          gifts: 2,
          ineligible: 0,
        },
        {
          campaign: 'vip',
          period: '2025-Q4',
          currency: 'USD',
          amount: null,
          booked: 60,
          delivered: 0,
          released: 0,
          remaining: null,
          gifts: 1,
          ineligible: 0,
        },
      ]);
      const one = await call<{ budgets: GiftBudgetUse[] }>(
        'GET',
        '/v1/gifts/budgets?campaign=thank-you&period=2025-10',
      );
      expect(one.body.budgets.map((b) => [b.campaign, b.period, b.remaining])).toEqual([
        ['thank-you', '2025-10', 25.1],
      ]);
      const bad = await call<{ problems: { path: string }[] }>('GET', '/v1/gifts/budgets?period=November');
      expect(bad.status).toBe(400);
      expect(bad.body.problems[0].path).toBe('period');
    });

    it('touchpoint gifts list and gifts budget: tables, paging hint and --json', async () => {
      const list = await touchpointCli(['gifts', 'list', '--campaign', 'thank-you', '--limit', '2'], touchpoint.url);
      expect(list.code).toBe(0);
      const lines = list.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^BOOKED +CUSTOMER +CAMPAIGN +PERIOD +PRODUCT +COST +STATUS +REASON$/);
      expect(lines[1]).toMatch(
        /^2025-11-08 10:00:00Z +c9 +thank-you +2025-11 +voucher-eur \(digital\) +0\.00 EUR +ineligible +tier basic is not in gold, platinum$/,
      );
      expect(lines[2]).toMatch(
        /^2025-11-07 10:00:00Z +c8 +thank-you +2025-11 +voucher-eur \(digital\) +24\.00 EUR +released$/,
      );
      expect(lines[4]).toMatch(/^More: touchpoint gifts list --cursor \S+ \(same filters\)$/);

      const json = await touchpointCli(['gifts', 'list', '--status', 'delivered', '--json'], touchpoint.url);
      expect(keys(JSON.parse(json.stdout) as GiftList)).toEqual(['g01', 'g11', 'g10']);
      const badStatus = await touchpointCli(['gifts', 'list', '--status', 'lost'], touchpoint.url);
      expect(badStatus.code).toBe(2);
      expect(badStatus.stderr).toContain("argument 'lost' is invalid");

      const budget = await touchpointCli(['gifts', 'budget', '--campaign', 'thank-you'], touchpoint.url);
      expect(budget.code).toBe(0);
      expect(budget.stdout.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^CAMPAIGN +PERIOD +BUDGET +BOOKED +DELIVERED +RELEASED +REMAINING +GIFTS +INELIGIBLE$/),
        expect.stringMatching(
          /^thank-you +2025-11 +500\.00 EUR +164\.00 EUR +25\.00 EUR +94\.00 EUR +336\.00 EUR +5 +1$/,
        ),
        expect.stringMatching(/^thank-you +2025-10 +100\.00 EUR +74\.90 EUR +74\.90 EUR +0\.00 EUR +25\.10 EUR +2 +0$/),
      ]);
      const budgetJson = await touchpointCli(['gifts', 'budget', '--campaign', 'vip', '--json'], touchpoint.url);
      expect(JSON.parse(budgetJson.stdout)).toEqual({
        budgets: [expect.objectContaining({ campaign: 'vip', amount: null, remaining: null, booked: 60 })],
      });
    });
  });

  describe('milestones from orders', () => {
    it('the 5th order starts the thank-you journey once; its repeat and the 6th order start nothing', async () => {
      await putCustomer('m-1');
      for (let n = 1; n <= 4; n++) await order('m-1', `o-${n}`, 10);
      expect(await milestoneEvents('m-1')).toEqual([]);

      const fifth = await order('m-1', 'o-5', 10);
      // The order's own answer names the run its milestone started.
      expect(fifth.body.started).toEqual(['thank-you-gift/m-1/fifth-order']);
      expect(await milestoneEvents('m-1')).toEqual([
        {
          id: 'milestone:m-1:fifth-order',
          routing: expect.objectContaining({ started: ['thank-you-gift/m-1/fifth-order'], existing: [] }),
        },
      ]);
      expect(await runExists('thank-you-gift/m-1/fifth-order')).toBe(true);
      const [milestone] = await touchpoint.stores.db.query<{ data: unknown; occurred_at: Date }>(
        `SELECT data FROM events WHERE id = 'milestone:m-1:fifth-order'`,
      );
      expect(milestone.data).toEqual({
        milestone: 'fifth-order',
        kind: 'order-count',
        threshold: 5,
        orderId: 'o-5',
        orderCount: 5,
      });

      // The same order again under another event id (a shop retrying with a new id): the milestone event repeats
      // its id, so nothing new starts.
      const repeat = await order('m-1', 'o-5', 10, 'ev-m-1-o-5-retry');
      expect(repeat.body).toMatchObject({
        duplicate: false,
        started: [],
        existing: ['thank-you-gift/m-1/fifth-order'],
      });
      await order('m-1', 'o-6', 10);
      expect(await milestoneEvents('m-1')).toHaveLength(1);
    });

    it('lifetime value passing 1000 EUR reaches lifetime-value-1000 with the order that passes it', async () => {
      await putCustomer('m-2');
      await order('m-2', 'big-1', 600);
      expect(await milestoneEvents('m-2')).toEqual([]);
      await order('m-2', 'big-2', 400);
      expect(await milestoneEvents('m-2')).toEqual([
        {
          id: 'milestone:m-2:lifetime-value-1000',
          routing: expect.objectContaining({ started: ['thank-you-gift/m-2/lifetime-value-1000'] }),
        },
      ]);
      await order('m-2', 'big-3', 400);
      expect(await milestoneEvents('m-2')).toHaveLength(1);
    });
  });

  describe("end to end: a gold customer's 5th order", () => {
    const completed = (workflowId: string) =>
      eventually(async () => {
        const run = await call<RunDetail>('GET', `/v1/runs/${encodeURIComponent(workflowId)}`);
        return run.body.status === 'completed' ? run.body : undefined;
      }, `${workflowId} to complete`);
    const inbox = async (to: string) =>
      (await call<{ messages: { subject: string; text: string; html: string }[] }>('GET', `/v1/inbox?to=${to}`)).body
        .messages;

    it.each([
      ['de', 'Greta', 'Danke, Greta: ein Geschenk für Sie', 'ein Geschenk im Wert von 25,00\u00a0€. Ihr Code:'],
      ['en', 'Gary', 'Thank you, Gary: a gift for you', 'a gift worth €25.00. Your code:'],
    ])(
      '%s: the thank-you in the inbox carries the voucher code; the CRM note has cost and campaign',
      async (locale, name, subject, text) => {
        const id = `e2e-${locale}`;
        await putCustomer(id, { name, locale, attributes: { tier: 'gold' }, consent: { marketing: 'granted' } });
        for (let n = 1; n <= 5; n++) await order(id, `o-${n}`, 20);
        const run = await completed(`thank-you-gift/${id}/fifth-order`);
        expect(run.state?.outcome).toBe('thanked');
        const gift = run.state?.data.gift as { code: string };
        expect(gift.code).toMatch(/\S{6,}/);
        const mails = await inbox(`${id}@example.com`);
        expect(mails.map((m) => m.subject)).toEqual([subject]);
        expect(mails[0].text).toContain(`${text}\n\n    ${gift.code}\n`);
        const notes = await touchpoint.stores.crm.notes(id);
        expect(notes.map((note) => note.body)).toEqual([
          `Thank-you gift for fifth-order: ${locale === 'de' ? '25-€-Gutschein' : '25 € voucher'} (digital, worth 25 EUR, cost 25 EUR), campaign thank-you, code ${gift.code}.`,
        ]);
      },
    );
  });

  describe('a promoter answer (survey-after-contact)', () => {
    const completed = (workflowId: string) =>
      eventually(async () => {
        const run = await call<RunDetail>('GET', `/v1/runs/${encodeURIComponent(workflowId)}`);
        return run.body.status === 'completed' ? run.body : undefined;
      }, `${workflowId} to complete`);
    const inbox = async (to: string) =>
      (await call<{ messages: { subject: string; text: string }[] }>('GET', `/v1/inbox?to=${to}`)).body.messages;
    /** Solves a ticket and answers the invitation with a 10, as the customer would on the survey page. */
    const promoter = async (customerId: string, ticketId: string) => {
      await call('POST', '/v1/events', {
        id: `solved-${ticketId}`,
        type: 'ticket.solved',
        customerId,
        data: { ticketId },
      });
      const [invitation] = await eventually(async () => {
        const messages = await inbox(`${customerId}@example.com`);
        return messages.length ? messages : undefined;
      }, 'the survey invitation');
      const link = /(http:\/\/localhost:\d+\/s\/[^?\s]+)\?score=10/.exec(invitation.text)![1];
      await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'score=10',
      });
      return completed(`survey-after-contact/${customerId}/${ticketId}`);
    };

    it('a gold promoter gets the review ask and then the thank-you gift; the CRM notes it', async () => {
      await putCustomer('p-gold', { name: 'Pia', attributes: { tier: 'gold' }, consent: { marketing: 'granted' } });
      const run = await promoter('p-gold', 'T-1');
      expect(run.state?.outcome).toBe('promoter');
      const gift = run.state?.data.gift as { code: string };
      const subjects = (await inbox('p-gold@example.com')).map((m) => m.subject).reverse();
      expect(subjects).toEqual([
        'How likely are you to recommend us?',
        'Thank you! Would you share your experience?',
        'Thank you, Pia: a gift for you',
      ]);
      expect((await inbox('p-gold@example.com'))[0].text).toContain(gift.code);
      expect((await touchpoint.stores.crm.notes('p-gold')).map((n) => n.body)).toContain(
        `Thank-you gift for NPS 10 (ticket T-1): 25 € voucher (digital, worth 25 EUR, cost 25 EUR), campaign thank-you, code ${gift.code}.`,
      );
    });

    it('a promoter the gift campaign does not cover ends as a promoter without a gift, the reason in the timeline', async () => {
      await putCustomer('p-basic', { consent: { marketing: 'granted' } });
      const run = await promoter('p-basic', 'T-2');
      expect(run.state?.outcome).toBe('promoter');
      expect(run.state?.timeline.find((e) => e.step === 'promoter-gift')?.detail).toBe(
        'no gift (campaign thank-you): the customer has no tier (attributes.tier); campaign thank-you is for gold, platinum',
      );
      expect((await inbox('p-basic@example.com')).map((m) => m.subject)).not.toContain('Thank you: a gift for you');
      expect(await touchpoint.stores.crm.notes('p-basic')).toEqual([]);
    });
  });

  describe('gift requests', () => {
    it('POST /v1/gifts/requests starts the gift-request journey; the same request id again starts nothing', async () => {
      await putCustomer('r-1');
      const body = { customerId: 'r-1', reason: 'Sorry for the late delivery', requestedBy: 'Sam', requestId: 'req-1' };
      const first = await call<RouteResult & { requestId: string }>('POST', '/v1/gifts/requests', body);
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({
        requestId: 'req-1',
        eventId: 'gift-request:req-1',
        duplicate: false,
        started: ['gift-request/r-1/req-1'],
      });
      const [event] = await touchpoint.stores.db.query<{ type: string; data: unknown }>(
        `SELECT type, data FROM events WHERE id = 'gift-request:req-1'`,
      );
      expect(event).toEqual({
        type: 'gift.requested',
        data: { requestId: 'req-1', campaign: 'thank-you', reason: 'Sorry for the late delivery', requestedBy: 'Sam' },
      });
      const again = await call<RouteResult>('POST', '/v1/gifts/requests', body);
      expect(again.body).toMatchObject({ duplicate: true, started: [], existing: ['gift-request/r-1/req-1'] });

      // Without a request id, every request is a new one.
      const fresh = await call<RouteResult & { requestId: string }>('POST', '/v1/gifts/requests', {
        customerId: 'r-1',
        reason: 'Birthday',
      });
      expect(fresh.body.started).toEqual([`gift-request/r-1/${fresh.body.requestId}`]);
    });

    it('an eligible customer gets the gift and the thank-you; the CRM note says who asked and why', async () => {
      await putCustomer('r-gold', { locale: 'de', attributes: { tier: 'gold' }, consent: { marketing: 'granted' } });
      const routed = await call<RouteResult>('POST', '/v1/gifts/requests', {
        customerId: 'r-gold',
        reason: 'Paket verloren',
        requestedBy: 'Sam',
        requestId: 'lost-parcel',
      });
      expect(routed.body.started).toEqual(['gift-request/r-gold/lost-parcel']);
      const run = await eventually(async () => {
        const detail = await call<RunDetail>(
          'GET',
          `/v1/runs/${encodeURIComponent('gift-request/r-gold/lost-parcel')}`,
        );
        return detail.body.status === 'completed' ? detail.body : undefined;
      }, 'the gift-request run to complete');
      expect(run.state?.outcome).toBe('thanked');
      const gift = run.state?.data.gift as { code: string };
      expect((await touchpoint.stores.crm.notes('r-gold')).map((n) => n.body)).toEqual([
        `Gift on request (Paket verloren, asked by Sam): 25-€-Gutschein (digital, worth 25 EUR, cost 25 EUR), campaign thank-you, code ${gift.code}.`,
      ]);
      const mails = (await call<{ messages: { subject: string; text: string }[] }>('GET', '/v1/inbox?to=r-gold@')).body
        .messages;
      expect(mails.map((m) => m.subject)).toEqual(['Danke: ein Geschenk für Sie']);
      expect(mails[0].text).toContain(gift.code);
    });

    it('a campaign no journey starts for is reported as skipped; bad input is a 400 naming the field', async () => {
      await putCustomer('r-2');
      const other = await call<RouteResult>('POST', '/v1/gifts/requests', {
        customerId: 'r-2',
        campaign: 'press-kit',
        reason: 'Journalist',
      });
      expect(other.body.started).toEqual([]);
      expect(other.body.skipped).toEqual([
        { journeyId: 'gift-request', reason: 'the trigger condition does not hold' },
      ]);

      const noReason = await call<{ problems: { path: string; message: string }[] }>('POST', '/v1/gifts/requests', {
        customerId: 'r-2',
        reason: '  ',
      });
      expect(noReason.status).toBe(400);
      expect(noReason.body.problems).toEqual([{ path: 'reason', message: 'say why the customer gets a gift' }]);
      const unknown = await call<{ problems: { path: string }[] }>('POST', '/v1/gifts/requests', {
        customerId: 'nobody',
        reason: 'x',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.problems[0].path).toBe('customerId');
    });

    it('touchpoint gifts request', async () => {
      await putCustomer('r-3');
      const ok = await touchpointCli(
        ['gifts', 'request', 'r-3', '--reason', 'Loyal since 2019', '--request-id', 'cli-1'],
        touchpoint.url,
      );
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      expect(ok.stdout).toBe('Gift request cli-1 accepted\n  started  gift-request/r-3/cli-1\n');
      const repeat = await touchpointCli(
        ['gifts', 'request', 'r-3', '--reason', 'Loyal since 2019', '--request-id', 'cli-1'],
        touchpoint.url,
      );
      expect(repeat.stdout).toBe(
        'Gift request cli-1 was already received: nothing done again\n  exists   gift-request/r-3/cli-1 (nothing new started)\n',
      );
      const bad = await touchpointCli(
        ['gifts', 'request', 'r-3', '--reason', 'x', '--campaign', 'Bad Name'],
        touchpoint.url,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('campaign: must be lower-case letters, digits and dashes');
      const missing = await touchpointCli(['gifts', 'request', 'r-3'], touchpoint.url);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("required option '--reason <text>' not specified");
    });
  });
});
