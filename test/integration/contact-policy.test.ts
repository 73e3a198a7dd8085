import type { Touchpoint } from '../../client/app';
import { JourneyCatalog, parseJourney } from '../../client/journey-catalog';
import type { RunDetail } from '../../client/runs';
import type { ContactPolicy } from '../../model/contact-policy';
import { templatesWithHello } from '../support/templates';
import { touchpointCli } from '../support/cli';
import { sendInParallel } from '../support/parallel-sends';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

const promo = (id: string) => `
id: ${id}
version: 1
name: A one-off offer (${id})
category: marketing
trigger: { event: milestone.reached }
steps:
  - { id: offer, type: send, template: hello }
  - { id: done, type: exit, outcome: done }
`;

const LONG_PROMO = `
id: long-promo
version: 1
name: An offer now and another in a month
category: marketing
trigger: { event: churn.risk_detected, key: data.period }
steps:
  - { id: first, type: send, template: hello }
  - { id: pause, type: wait, duration: 30d }
  - { id: second, type: send, template: hello }
  - { id: done, type: exit, outcome: done }
`;

const POLICY: ContactPolicy = { caps: { marketing: { max: 1, per: '7d' } }, surveyThrottle: { max: 1, per: '30d' } };

const catalog = () =>
  new JourneyCatalog([
    JourneyCatalog.fromDirectory().get('survey-after-contact')!,
    parseJourney(promo('promo-a'), 'promo-a.yaml'),
    parseJourney(promo('promo-b'), 'promo-b.yaml'),
    parseJourney(LONG_PROMO, 'long-promo.yaml'),
  ]);

/** HTTP helpers against one running Touchpoint. */
function api(touchpoint: () => Touchpoint) {
  let events = 0;
  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${touchpoint().url}${url}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as never };
  };
  return {
    call,
    customer: (id: string, extra: Record<string, unknown> = {}) =>
      call('PUT', `/v1/customers/${id}`, { email: `${id}@example.com`, name: id, ...extra }),
    /** Sends an event; it must be accepted (202). */
    event: async (type: string, customerId: string, data: Record<string, unknown>) => {
      const response = await call('POST', '/v1/events', {
        id: `policy-${++events}-${customerId}`,
        type,
        customerId,
        data,
      });
      expect(response.status).toBe(202);
      return response.body as { started: string[] };
    },
    run: async (id: string) => (await call('GET', `/v1/runs/${id}`)).body as RunDetail,
    completed: (id: string) =>
      eventually(async () => {
        const run = (await call('GET', `/v1/runs/${id}`)).body as RunDetail;
        return run.status === 'completed' ? run : undefined;
      }, `${id} to complete`),
    inbox: async (to: string) =>
      ((await call('GET', `/v1/inbox?to=${to}`)).body as { messages: { id: number; subject: string }[] }).messages,
  };
}

describe('the contact policy, at send time, across journeys', () => {
  let touchpoint: Touchpoint;
  const { call, customer, event, run, completed, inbox } = api(() => touchpoint);

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint(
      {},
      { catalog: catalog(), templatesDir: templatesWithHello(), policy: POLICY },
    );
  });
  afterAll(() => touchpoint?.stop());

  it('two runs sending to one customer at the same instant, against a cap of one: exactly one goes', async () => {
    await customer('cap-1', { consent: { marketing: 'granted' } });
    const routed = await event('milestone.reached', 'cap-1', { milestone: 'tenth-order' });
    expect(routed.started.sort()).toEqual(['promo-a/cap-1', 'promo-b/cap-1']);
    const runs = [await completed('promo-a/cap-1'), await completed('promo-b/cap-1')];
    const decisions = runs.map((r) => r.state!.timeline.find((e) => e.step === 'offer')!);
    expect(decisions.map((d) => d.kind).sort()).toEqual(['sent', 'skipped']);
    expect(decisions.find((d) => d.kind === 'skipped')?.detail).toBe(
      'email "hello" skipped: marketing cap reached (1 per 7d)',
    );
    expect(await inbox('cap-1@example.com')).toHaveLength(1);
  });

  it('many simultaneous sends to one customer through the send activity: still exactly one (real SMTP, real DB)', async () => {
    await customer('cap-many', { consent: { marketing: 'granted' } });
    const results = await sendInParallel(touchpoint, { customerId: 'cap-many', policy: POLICY, count: 8 });
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'skipped')).toHaveLength(7);
    await eventually(
      async () => ((await inbox('cap-many@example.com')).length === 1 ? true : undefined),
      'the one message',
    );
  });

  it('marketing without consent is skipped, and the run records why', async () => {
    await customer('no-consent');
    await event('milestone.reached', 'no-consent', { milestone: 'first' });
    const offer = (await completed('promo-a/no-consent')).state!.timeline.find((e) => e.step === 'offer');
    expect(offer).toMatchObject({
      kind: 'skipped',
      detail: 'email "hello" skipped: no marketing consent (neither granted nor soft opt-in)',
    });
    expect(await inbox('no-consent@example.com')).toEqual([]);
  });

  it('one-click unsubscribe (POST, no auth) ends the marketing run at once; GET and HEAD change nothing', async () => {
    await customer('unsub', { consent: { marketing: 'granted' } });
    await event('churn.risk_detected', 'unsub', { period: '2026-11', risk: 0.8 });
    await event('ticket.solved', 'unsub', { ticketId: 'T-1' });
    // The offer (marketing), not the survey invitation that goes to the same address: its link is for marketing.
    const mail = await eventually(
      async () => (await inbox('unsub@example.com')).find((m) => m.subject === 'Hello'),
      'the first offer',
    );
    const raw = await (await fetch(`${touchpoint.url}/v1/inbox/${mail.id}/raw`)).text();
    const headers = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const link = /^List-Unsubscribe: <([^>]+)>$/m.exec(headers)?.[1];
    expect(link).toMatch(new RegExp(`^${touchpoint.publicUrl}/u/[\\w-]+\\.marketing\\.`));

    // What a mail scanner or a curious customer does: open it. Nothing changes.
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Email preferences');
    expect((await fetch(link!, { method: 'HEAD' })).status).toBe(200);
    expect((await run('long-promo/unsub/2026-11')).status).toBe('running');
    const before = (await call('GET', '/v1/customers/unsub')).body as { contact: { preferences: unknown[] } };
    expect(before.contact.preferences).toEqual([expect.objectContaining({ category: 'marketing', state: 'granted' })]);

    // What the mailbox provider does on "Unsubscribe": a POST without cookies, and it must not be redirected.
    const oneClick = await fetch(link!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(oneClick.status).toBe(200);
    // The run was asleep for 30 days; it ends now.
    const ended = await completed('long-promo/unsub/2026-11');
    expect(ended.state?.outcome).toBe('unsubscribed');
    expect(ended.state?.timeline.map((e) => e.kind)).toContain('unsubscribed');
    // The survey is another category: it goes on.
    expect((await run('survey-after-contact/unsub/T-1')).status).toBe('running');
    const after = (await call('GET', '/v1/customers/unsub')).body as { contact: { preferences: unknown[] } };
    expect(after.contact.preferences).toEqual([
      expect.objectContaining({ category: 'marketing', state: 'opted-out', source: 'one-click' }),
    ]);
  });

  it('the preference page: ticking marketing is consent, unticking surveys ends the survey run', async () => {
    await customer('prefs');
    await event('ticket.solved', 'prefs', { ticketId: 'T-2' });
    const [mail] = await eventually(async () => {
      const messages = await inbox('prefs@example.com');
      return messages.length ? messages : undefined;
    }, 'the survey invitation');
    const raw = await (await fetch(`${touchpoint.url}/v1/inbox/${mail.id}/raw`)).text();
    const link = /^List-Unsubscribe: <([^>]+)>$/m.exec(raw.replace(/\r?\n[ \t]+/g, ' '))![1];
    const saved = await fetch(`${link}/preferences`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'marketing=on',
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toMatch(/saved/);
    expect((await completed('survey-after-contact/prefs/T-2')).state?.outcome).toBe('unsubscribed');
    const shown = (await call('GET', '/v1/customers/prefs')).body as { contact: { preferences: unknown[] } };
    expect(shown.contact.preferences).toEqual([
      expect.objectContaining({ category: 'marketing', state: 'granted', source: 'preference-page' }),
      expect.objectContaining({ category: 'survey', state: 'opted-out', source: 'preference-page' }),
    ]);
  });

  it('a forged unsubscribe link changes nothing', async () => {
    const forged = await fetch(
      `${touchpoint.url}/u/${Buffer.from('cap-1').toString('base64url')}.marketing.${'A'.repeat(43)}`,
      {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    );
    expect(forged.status).toBe(400);
    const shown = (await call('GET', '/v1/customers/cap-1')).body as { contact: { preferences: unknown[] } };
    expect(shown.contact.preferences).toEqual([expect.objectContaining({ category: 'marketing', state: 'granted' })]);
  });

  it('a suppressed address gets no survey: the run ends as not surveyed, with the reason', async () => {
    await customer('sup');
    const put = await call('PUT', '/v1/suppressions/SUP@example.com', { reason: 'complaint', note: 'spam report' });
    expect(put.status).toBe(201);
    await event('ticket.solved', 'sup', { ticketId: 'T-3' });
    const ended = await completed('survey-after-contact/sup/T-3');
    expect(ended.state?.outcome).toBe('not-surveyed');
    expect(ended.state?.timeline.find((e) => e.kind === 'skipped')?.detail).toBe(
      'email "nps-invitation" skipped: the address is on the suppression list (complaint)',
    );
    expect(await inbox('sup@example.com')).toEqual([]);

    const listed = await touchpointCli(['suppressions', 'list'], touchpoint.url);
    expect(listed.stdout).toMatch(/^sup@example\.com {2}complaint {2}.*\(api\) {2}spam report$/m);
    expect((await touchpointCli(['suppressions', 'remove', 'sup@example.com'], touchpoint.url)).code).toBe(0);
    expect((await call('GET', '/v1/suppressions/sup@example.com')).status).toBe(404);
  });

  it('the survey throttle: a second ticket within 30 days is not surveyed', async () => {
    await customer('throttle');
    await event('ticket.solved', 'throttle', { ticketId: 'T-4' });
    await eventually(async () => ((await inbox('throttle@example.com')).length ? true : undefined), 'the first survey');
    await event('ticket.solved', 'throttle', { ticketId: 'T-5' });
    const second = await completed('survey-after-contact/throttle/T-5');
    expect(second.state?.outcome).toBe('not-surveyed');
    expect(second.state?.timeline.find((e) => e.kind === 'skipped')?.detail).toBe(
      'email "nps-invitation" skipped: surveyed recently (survey throttle: 1 per 30d)',
    );
    expect(await inbox('throttle@example.com')).toHaveLength(1);
  });
});

describe('quiet hours in a live run', () => {
  let touchpoint: Touchpoint;
  const { customer, event, run, inbox } = api(() => touchpoint);
  // Quiet hours around now in UTC: an hour ago until two hours from now.
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const now = Date.now();
  const quietHours = {
    start: hhmm(now - 3_600_000),
    end: hhmm(now + 2 * 3_600_000),
    categories: ['marketing' as const],
  };

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint(
      {},
      { catalog: catalog(), templatesDir: templatesWithHello(), policy: { caps: {}, quietHours } },
    );
  });
  afterAll(() => touchpoint?.stop());

  it('defers the send to the end of the quiet hours and shows it in the timeline and in `runs show`', async () => {
    await customer('night', { consent: { marketing: 'granted' }, timeZone: 'UTC' });
    await event('milestone.reached', 'night', { milestone: 'first' });
    const deferred = await eventually(async () => {
      const detail = await run('promo-a/night');
      return detail.state?.timeline.find((e) => e.kind === 'deferred');
    }, 'the deferral');
    const until = Date.parse(String(deferred.data?.until));
    expect(new Date(until).toISOString().slice(11, 16)).toBe(quietHours.end);
    expect(until).toBeGreaterThan(now);
    expect(until - now).toBeLessThanOrEqual(2 * 3_600_000);
    expect(deferred.detail).toMatch(/^email "hello" deferred until .*: quiet hours .* in UTC$/);
    expect(await inbox('night@example.com')).toEqual([]);
    const shown = await touchpointCli(['runs', 'show', 'promo-a/night'], touchpoint.url);
    expect(shown.stdout).toMatch(/deferred .*email "hello" deferred until/);
    expect((await run('promo-a/night')).status).toBe('running');
  });
});
