import { JourneyCatalog, parseJourney } from '../../client/journey-catalog';
import { formatSimulation, simulateJourney } from '../../client/simulator';
import { bucket } from '../../model/bucket';
import { GiftCatalog } from '../../model/gift';
import { SimulatedCustomer, SimulatedEvents } from '../../model/simulation';
import { OPEN_POLICY } from '../support/touchpoint';

const DAY = 24 * 60 * 60 * 1000;
const workflowBundle = () => ({ codePath: process.env.TOUCHPOINT_TEST_WORKFLOW_BUNDLE! });
const survey = () => JourneyCatalog.fromDirectory().get('survey-after-contact')!;
const anna = SimulatedCustomer.parse({
  email: 'anna@example.com',
  name: 'Anna',
  locale: 'de',
  timeZone: 'Europe/Berlin',
  consent: { marketing: 'granted' },
});
/** The built-in survey journey for `customer` (default Anna), with these events, under the open test policy. */
const simulateSurvey = (events: unknown[], options: { customer?: SimulatedCustomer; days?: number } = {}) =>
  simulateJourney({
    policy: OPEN_POLICY,
    journey: survey(),
    customer: options.customer ?? anna,
    events: SimulatedEvents.parse(events),
    days: options.days,
    workflowBundle: workflowBundle(),
  });
const dayOf = (startedAt: string, at: string) => Math.floor((Date.parse(at) - Date.parse(startedAt)) / DAY);

/** The journey simulator: the real interpreter on the time-skipping server, side effects in dry run. */
describe('journeys simulate', () => {
  it('shows 30 days of the survey journey: invitation, reminder on day 3, no response on day 7', async () => {
    const result = await simulateJourney({
      policy: OPEN_POLICY,
      journey: survey(),
      customer: anna,
      days: 30,
      workflowBundle: workflowBundle(),
    });
    expect(result.finished).toBe(true);
    expect(result.state.outcome).toBe('no-response');
    const sends = result.state.timeline.filter((e) => e.kind === 'sent');
    expect(sends.map((e) => [e.step, dayOf(result.startedAt, e.at)])).toEqual([
      ['invite', 0],
      ['remind', 3],
    ]);
    expect(dayOf(result.startedAt, result.state.timeline.at(-1)!.at)).toBe(7);
    expect(result.messages.map((m) => [dayOf(result.startedAt, m.at), m.subject])).toEqual([
      [0, 'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?'],
      [3, 'Erinnerung: Ein Klick, um uns zu bewerten'],
    ]);
    const text = formatSimulation(result, 30);
    expect(text).toMatch(/^Day 0\n.*started/);
    expect(text).toContain('Day 3\n');
    expect(text).toContain('Ended: no-response');
    expect(text).toContain('Messages (rendered, not sent)');
  });

  it('takes an answer on day 1 and a reopened ticket while asleep', async () => {
    const answered = await simulateSurvey(
      [{ after: '1d', type: 'survey.answered', data: { score: 3, comment: 'Slow' } }],
      { days: 2 },
    );
    expect(answered.state.answer).toMatchObject({ score: 3, class: 'detractor', comment: 'Slow' });
    const answer = answered.state.timeline.find((e) => e.kind === 'answer')!;
    expect(dayOf(answered.startedAt, answer.at)).toBe(1);

    const reopened = await simulateSurvey([{ after: '2d', type: 'ticket.reopened', data: { ticketId: 'SIM-1' } }]);
    expect(reopened.state.outcome).toBe('exited');
    expect(reopened.messages).toHaveLength(1); // the reminder of day 3 never went
    expect(dayOf(reopened.startedAt, reopened.state.timeline.at(-1)!.at)).toBe(2);
  });

  it('waits until a local time of day in the customer time zone, splits and branches', async () => {
    const journey = parseJourney(
      `id: morning
version: 1
name: Morning check
category: transactional
trigger: { event: ticket.solved }
steps:
  - { id: pause, type: wait, duration: 1d }
  - { id: at-nine, type: wait, untilLocalTime: "09:00" }
  - id: ab
    type: split
    paths: [{ name: a, weight: 1, next: tier }, { name: b, weight: 1, next: tier }]
  - id: tier
    type: branch
    cases: [{ when: { path: customer.attributes.tier, op: eq, value: gold }, next: gold }]
    otherwise: other
  - { id: gold, type: exit, outcome: gold }
  - { id: other, type: exit, outcome: other }
`,
      'morning.yaml',
    );
    const customer = SimulatedCustomer.parse({
      id: 'tokyo-1',
      email: 'kenji@example.com',
      timeZone: 'Asia/Tokyo',
      attributes: { tier: 'gold' },
    });
    const result = await simulateJourney({
      policy: OPEN_POLICY,
      journey,
      customer,
      days: 5,
      workflowBundle: workflowBundle(),
    });
    expect(result.state.outcome).toBe('gold');
    const splitAt = result.state.timeline.find((e) => e.kind === 'split')!.at;
    expect(new Date(splitAt).toISOString().slice(11, 16)).toBe('00:00'); // 09:00 in Tokyo is 00:00 UTC
    expect(Date.parse(splitAt) - Date.parse(result.startedAt)).toBeGreaterThanOrEqual(DAY);
    expect(result.state.data.ab).toBe(bucket('morning/tokyo-1/ab') < 0.5 ? 'a' : 'b');
  });

  it('reports a run that fails, e.g. on a template variable the journey does not provide', async () => {
    const journey = parseJourney(
      `id: broken
version: 1
name: Broken
category: transactional
trigger: { event: ticket.solved }
steps:
  - { id: invite, type: send, template: nps-invitation }
  - { id: done, type: exit, outcome: done }
`,
      'broken.yaml',
    );
    const result = await simulateJourney({
      policy: OPEN_POLICY,
      journey,
      customer: anna,
      days: 2,
      workflowBundle: workflowBundle(),
    });
    expect(result.finished).toBe(true);
    expect(result.failure).toMatch(/nps-invitation.*the variable "survey\.scores" is not provided/);
    expect(formatSimulation(result, 2)).toContain('Failed at step invite:');
  });

  it('reports a run still waiting when the simulated days end', async () => {
    const journey = parseJourney(
      `id: slow
version: 1
name: Slow
category: transactional
trigger: { event: ticket.solved }
steps:
  - { id: long-pause, type: wait, duration: 40d }
  - { id: done, type: exit, outcome: done }
`,
      'slow.yaml',
    );
    const result = await simulateJourney({
      policy: OPEN_POLICY,
      journey,
      customer: anna,
      days: 10,
      workflowBundle: workflowBundle(),
    });
    expect(result.finished).toBe(false);
    expect(result.state.currentStep).toBe('long-pause');
    expect(formatSimulation(result, 10)).toContain('Still running after 10 days, at step long-pause');
  });

  it('continues a long-lived run as new without losing its place, its timeline or the event it waits for', async () => {
    const journey = parseJourney(
      `id: watcher
version: 1
name: Watch for an order, day after day
category: transactional
trigger: { event: ticket.solved }
steps:
  - { id: watch, type: waitFor, events: [order.placed], timeout: 1d, onEvent: bought, onTimeout: watch }
  - { id: bought, type: exit, outcome: bought }
`,
      'watcher.yaml',
    );
    const result = await simulateJourney({
      policy: OPEN_POLICY,
      journey,
      customer: anna,
      days: 20,
      continueAsNewAfterSteps: 3,
      events: SimulatedEvents.parse([
        { after: '252h', type: 'order.placed', data: { orderId: 'o-1', amount: 10, currency: 'EUR' } },
      ]),
      workflowBundle: workflowBundle(),
    });
    expect(result.state.outcome).toBe('bought');
    expect(result.state.continuations).toBeGreaterThanOrEqual(3);
    expect(result.state.timeline[0].kind).toBe('started'); // the first run's history travelled along
    expect(result.state.timeline.filter((e) => e.kind === 'timeout')).toHaveLength(10);
    expect(dayOf(result.startedAt, result.state.timeline.at(-1)!.at)).toBe(10);
  });

  it('simulates 30 days of win-back and thank-you-gift', async () => {
    const catalog = JourneyCatalog.fromDirectory();
    // A customer in the treated group of win-back (the holdout is the lowest 10% of buckets).
    let id = 'sim-0';
    for (let i = 0; bucket(`win-back/${id}/group`) < 0.1; i++) id = `sim-${i + 1}`;
    const winBack = await simulateJourney({
      policy: OPEN_POLICY,
      journey: catalog.get('win-back')!,
      customer: SimulatedCustomer.parse({
        id,
        email: 'wb@example.com',
        name: 'Wim',
        consent: { marketing: 'granted' },
      }),
      triggerData: { period: '2026-11', risk: 0.7 },
      workflowBundle: workflowBundle(),
    });
    expect(winBack.state.outcome).toBe('lost');
    expect(winBack.messages.map((m) => dayOf(winBack.startedAt, m.at))).toEqual([0, 3, 7]);
    expect(dayOf(winBack.startedAt, winBack.state.timeline.at(-1)!.at)).toBe(14);

    const gift = await simulateJourney({
      policy: OPEN_POLICY,
      journey: catalog.get('thank-you-gift')!,
      customer: SimulatedCustomer.parse({
        email: 'ty@example.com',
        locale: 'de',
        attributes: { tier: 'platinum' },
        consent: { marketing: 'granted' },
      }),
      triggerData: { milestone: 'anniversary' },
      workflowBundle: workflowBundle(),
    });
    expect(gift.state.outcome).toBe('thanked');
    expect(gift.messages).toEqual([
      expect.objectContaining({
        subject: 'Danke: ein Geschenk für Sie',
        text: expect.stringContaining((gift.state.data.gift as { code: string }).code),
      }),
    ]);
  });

  it('books gifts from the catalog it is given (GIFT_CATALOG / --gift-catalog), not only the built-in one', async () => {
    const giftCatalog = GiftCatalog.parse({
      campaigns: [
        { id: 'thank-you', budget: { amount: 70, currency: 'EUR', period: 'month' }, products: ['silver-thanks'] },
      ],
      products: [
        { id: 'silver-thanks', kind: 'digital', name: { en: 'A 7 € voucher' }, value: 7, currency: 'EUR', cost: 7 },
      ],
    });
    const gift = await simulateJourney({
      policy: OPEN_POLICY,
      journey: JourneyCatalog.fromDirectory().get('thank-you-gift')!,
      customer: SimulatedCustomer.parse({
        email: 'silver@example.com',
        attributes: { tier: 'silver' }, // the built-in catalog gives silver nothing; this one has no tiers
        consent: { marketing: 'granted' },
      }),
      triggerData: { milestone: 'fifth-order', kind: 'order-count' },
      giftCatalog,
      workflowBundle: workflowBundle(),
    });
    expect(gift.state.outcome).toBe('thanked');
    expect(gift.state.data.gift).toMatchObject({ productId: 'silver-thanks', value: 7, currency: 'EUR' });
  });

  it('takes the path a waitFor names for the event that came', async () => {
    const journey = parseJourney(
      `id: paths
version: 1
name: A path per event
category: transactional
trigger: { event: ticket.solved, key: data.ticketId }
steps:
  - id: watch
    type: waitFor
    events: [order.placed, ticket.reopened]
    timeout: 5d
    on: { ticket.reopened: reopened }
    onEvent: ordered
    onTimeout: quiet
  - { id: ordered, type: exit, outcome: ordered }
  - { id: reopened, type: exit, outcome: reopened }
  - { id: quiet, type: exit, outcome: quiet }
`,
      'paths.yaml',
    );
    const run = (events: unknown[]) =>
      simulateJourney({
        policy: OPEN_POLICY,
        journey,
        customer: anna,
        events: SimulatedEvents.parse(events),
        days: 6,
        workflowBundle: workflowBundle(),
      });
    expect((await run([{ after: '1d', type: 'ticket.reopened', data: { ticketId: 'SIM-1' } }])).state.outcome).toBe(
      'reopened',
    );
    expect(
      (await run([{ after: '2d', type: 'order.placed', data: { orderId: 'o', amount: 1, currency: 'EUR' } }])).state
        .outcome,
    ).toBe('ordered');
    expect((await run([])).state.outcome).toBe('quiet');
  });

  it('acts once per round in a loop: each visit of a step has its own side-effect key', async () => {
    const journey = parseJourney(
      `id: weekly
version: 1
name: Weekly nudge until an order
category: transactional
trigger: { event: ticket.solved }
goal: [order.placed]
steps:
  - { id: nudge, type: send, template: winback-miss-you }
  - { id: coupon, type: gift, campaign: weekly, value: 5, currency: EUR }
  - { id: pause, type: wait, duration: 7d, next: nudge }
`,
      'weekly.yaml',
    );
    const result = await simulateJourney({
      policy: OPEN_POLICY,
      journey,
      customer: anna,
      days: 20,
      events: SimulatedEvents.parse([
        { after: '20d', type: 'order.placed', data: { orderId: 'o', amount: 1, currency: 'EUR' } },
      ]),
      workflowBundle: workflowBundle(),
    });
    expect(result.messages.map((m) => dayOf(result.startedAt, m.at))).toEqual([0, 7, 14]);
    const codes = result.state.timeline.filter((e) => e.kind === 'gift').map((e) => e.detail);
    expect(new Set(codes).size).toBe(3); // three rounds, three vouchers
    expect(result.state.visits).toMatchObject({ nudge: 3, coupon: 3 });
  });

  it('applies the contact policy at simulated time: a survey in the quiet hours goes out when they end', async () => {
    // Quiet hours around the simulation's start (the time-skipping server starts at the current time).
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const now = Date.now();
    const quietHours = {
      start: hhmm(now - 60 * 60_000),
      end: hhmm(now + 5 * 60 * 60_000),
      categories: ['survey' as const],
    };
    const result = await simulateJourney({
      policy: { caps: {}, quietHours },
      journey: survey(),
      customer: SimulatedCustomer.parse({ email: 'night@example.com', timeZone: 'UTC' }),
      days: 1,
      workflowBundle: workflowBundle(),
    });
    const deferred = result.state.timeline.find((e) => e.kind === 'deferred');
    const sent = result.state.timeline.find((e) => e.kind === 'sent');
    expect(deferred?.step).toBe('invite');
    expect(String(deferred?.data?.until).slice(11, 16)).toBe(quietHours.end);
    // The invitation went out when the quiet hours ended, in simulated time.
    const late = Date.parse(String(sent?.at)) - Date.parse(String(deferred?.data?.until));
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(60_000);
    expect(result.messages).toHaveLength(1);
    expect(formatSimulation(result, 1)).toMatch(/deferred .*until/);
  });

  describe('closing the loop with a detractor (SLA 48h)', () => {
    const detractor = (events: unknown[]) =>
      simulateSurvey(
        [{ after: '1d', type: 'survey.answered', data: { score: 2, comment: 'Nobody called back' } }, ...events],
        { days: 40 },
      );
    const crmSteps = (result: Awaited<ReturnType<typeof detractor>>) =>
      result.state.timeline.filter((e) => e.kind === 'crm').map((e) => e.step);

    it('a task closed within the SLA ends the run without escalation', async () => {
      const result = await detractor([{ after: '2d', type: 'task.closed', data: { taskKey: 'follow-up' } }]);
      expect(result.state.outcome).toBe('followed-up');
      expect(crmSteps(result)).toEqual(['record-score', 'follow-up']);
      expect(result.messages.map((m) => m.subject)).toEqual([
        'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?',
        'Danke für Ihr offenes Feedback',
      ]);
    });

    it('an SLA breach escalates exactly once, then the run keeps waiting until the task is closed', async () => {
      const result = await detractor([{ after: '10d', type: 'task.closed', data: { taskKey: 'follow-up' } }]);
      expect(result.state.outcome).toBe('followed-up');
      expect(crmSteps(result)).toEqual(['record-score', 'follow-up', 'escalate']);
      const escalation = result.state.timeline.find((e) => e.step === 'escalate')!;
      const task = result.state.timeline.find((e) => e.step === 'follow-up')!;
      // 48 hours after the task was created
      const after = Date.parse(escalation.at) - Date.parse(task.at);
      expect(after).toBeGreaterThanOrEqual(48 * 60 * 60 * 1000);
      expect(after).toBeLessThan(48 * 60 * 60 * 1000 + 60_000);
      expect(escalation.detail).toMatch(
        /task "Escalation: the follow-up with customer sim-customer .* missed its 48h SLA"/,
      );
      expect(dayOf(result.startedAt, result.state.timeline.at(-1)!.at)).toBe(10);
    });

    it('without a follow-up the run ends as not followed up, after one escalation', async () => {
      const result = await detractor([]);
      expect(result.state.outcome).toBe('not-followed-up');
      expect(crmSteps(result)).toEqual(['record-score', 'follow-up', 'escalate']);
    });
  });

  it('asks promoters for a review only with marketing consent; passives get a thank-you', async () => {
    const promoter = (consent: 'granted' | 'none') =>
      simulateSurvey([{ after: '1h', type: 'survey.answered', data: { score: 10 } }], {
        customer: SimulatedCustomer.parse({ ...anna, consent: { marketing: consent } }),
        days: 1,
      });
    const withConsent = await promoter('granted');
    expect(withConsent.state.outcome).toBe('promoter');
    expect(withConsent.messages.map((m) => m.subject)).toContain('Vielen Dank! Möchten Sie Ihre Erfahrung teilen?');
    const without = await promoter('none');
    expect(without.state.outcome).toBe('promoter');
    expect(without.messages).toHaveLength(1); // the invitation only
    expect(without.state.timeline.find((e) => e.step === 'review-ask')?.detail).toBe(
      'email "review-ask" skipped: no marketing consent (neither granted nor soft opt-in)',
    );

    const passive = await simulateSurvey([{ after: '1h', type: 'survey.answered', data: { score: 8 } }], { days: 1 });
    expect(passive.state.outcome).toBe('passive');
    expect(passive.messages.at(-1)?.subject).toBe('Vielen Dank für Ihr Feedback');
  });
});
