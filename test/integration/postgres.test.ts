import type { Touchpoint } from '../../client/app';
import type { RunDetail } from '../../client/runs';
import { openDatabase } from '../../activities/store/database';
import { MIGRATIONS } from '../../activities/store/migrations';
import { ContactGate } from '../../activities/policy/contact-policy';
import { sendInParallel } from '../support/parallel-sends';
import { eventually, startTestTouchpoint } from '../support/touchpoint';
import { postgresBinDir, startPostgres } from '../support/postgres';

// .ci/run installs PostgreSQL, so CI always runs this; a developer machine without it skips, saying why.
const available = postgresBinDir() !== undefined;
if (!available)
  console.warn('PostgreSQL is not installed (apt-get install postgresql): skipping the DATABASE_URL tests');

(available ? describe : describe.skip)('DATABASE_URL: the same schema and SQL on a real PostgreSQL', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  let touchpoint: Touchpoint;

  beforeAll(async () => {
    postgres = await startPostgres();
    touchpoint = await startTestTouchpoint({}, { database: { kind: 'postgres', url: postgres.url } });
  });
  afterAll(async () => {
    await touchpoint?.stop();
    postgres?.stop();
  });

  it('runs the survey slice: customer, event, invitation, answer, completed run, event log', async () => {
    const json = (method: string, path: string, body: unknown) =>
      fetch(`${touchpoint.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await json('PUT', '/v1/customers/pg-1', { email: 'pg-1@example.com', locale: 'de' })).status).toBe(201);
    const event = { id: 'pg-e1', type: 'ticket.solved', customerId: 'pg-1', data: { ticketId: 'P-1' } };
    expect(await (await json('POST', '/v1/events', event)).json()).toMatchObject({
      started: ['survey-after-contact/pg-1/P-1'],
    });
    expect(await (await json('POST', '/v1/events', event)).json()).toMatchObject({ duplicate: true });

    const { messages } = await eventually(async () => {
      const inbox = (await (await fetch(`${touchpoint.url}/v1/inbox?to=pg-1@example.com`)).json()) as {
        messages: { text: string }[];
      };
      return inbox.messages.length ? inbox : undefined;
    }, 'the invitation in the sink (stored in PostgreSQL)');
    const link = /(http:\/\/localhost:\d+\/s\/[^?\s]+)\?score=6/.exec(messages[0].text)![1];
    const post = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=7',
    });
    expect(post.status).toBe(200);
    const run = await eventually(async () => {
      const detail = (await (
        await fetch(`${touchpoint.url}/v1/runs/survey-after-contact/pg-1/P-1`)
      ).json()) as RunDetail;
      return detail.status === 'completed' ? detail : undefined;
    }, 'the run to complete');
    expect(run.state).toMatchObject({ outcome: 'passive', answer: { score: 7, class: 'passive' } });
    const sends = await touchpoint.stores.sendLog.forWorkflow('survey-after-contact/pg-1/P-1');
    expect(sends.map((s) => [s.template, s.status])).toEqual([
      ['nps-invitation', 'sent'],
      ['feedback-thanks', 'sent'],
    ]);
  });

  it('migrates once: a second process opening the same database changes nothing', async () => {
    const again = await openDatabase({ kind: 'postgres', url: postgres.url });
    try {
      const versions = await again.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
      expect((await again.query<{ n: number }>('SELECT count(*)::int AS n FROM customers'))[0].n).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('lets exactly one of many simultaneous sends through a cap of one (row lock on a pooled PostgreSQL)', async () => {
    for (const id of ['pg-cap', 'pg-gate']) {
      await fetch(`${touchpoint.url}/v1/customers/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${id}@example.com`, consent: { marketing: 'granted' } }),
      });
    }
    const policy = { caps: { marketing: { max: 1, per: '7d' } } };
    const results = await sendInParallel(touchpoint, { customerId: 'pg-cap', policy, count: 10 });
    expect(results.map((r) => r.status).sort()).toEqual(['sent', ...Array(9).fill('skipped')]);
    // The gate alone, without rendering to stagger the calls: twenty transactions at once on ten connections.
    const gate = new ContactGate(touchpoint.stores.db, policy);
    const now = new Date();
    const decisions = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gate.decideAndClaim(
          {
            key: `gate-${i}/offer`,
            workflowId: `gate-${i}`,
            customerId: 'pg-gate',
            category: 'marketing',
            template: 'hello',
            recipient: 'pg-gate@example.com',
            messageId: `<gate-${i}@example.com>`,
          },
          now,
        ),
      ),
    );
    expect(decisions.filter((d) => d.outcome === 'claimed')).toHaveLength(1);
  });
});
