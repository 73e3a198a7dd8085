import type { Touchpoint } from '../../client/app';
import type { RunDetail } from '../../client/runs';
import { createInvitationToken, invitationIdFor } from '../../activities/survey/invitation-token';
import { eventually, startTestTouchpoint, TEST_SECRET } from '../support/touchpoint';

/** Bad input anywhere gets a 400 with the field path and a clear message, and changes nothing. */
describe('rejections', () => {
  let touchpoint: Touchpoint;
  beforeAll(async () => {
    touchpoint = await startTestTouchpoint();
  });
  afterAll(() => touchpoint?.stop());

  const send = (method: string, path: string, body: string) =>
    fetch(`${touchpoint.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body });
  const problemsOf = async (response: Response) => {
    expect(response.status).toBe(400);
    const payload = (await response.json()) as { error: string; problems: { path: string; message: string }[] };
    expect(payload.error).toBe('invalid_request');
    return payload.problems;
  };
  const eventCount = async () =>
    (await touchpoint.stores.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events'))[0].n;

  describe('POST /v1/events', () => {
    beforeAll(async () => {
      await send('PUT', '/v1/customers/carla', JSON.stringify({ email: 'carla@example.com' }));
    });

    it('rejects malformed JSON', async () => {
      const problems = await problemsOf(await send('POST', '/v1/events', '{"id": "e1", '));
      expect(problems[0].path).toBe('(body)');
    });

    it('names every wrong field by its path', async () => {
      const problems = await problemsOf(
        await send(
          'POST',
          '/v1/events',
          JSON.stringify({ id: 5, type: 'ticket.solved', customerId: 'carla', data: {} }),
        ),
      );
      expect(problems.map((p) => p.path).sort()).toEqual(['data.ticketId', 'id']);
    });

    it('rejects an unknown event type and lists the known ones', async () => {
      const problems = await problemsOf(
        await send('POST', '/v1/events', JSON.stringify({ id: 'e2', type: 'ticket.exploded', customerId: 'carla' })),
      );
      expect(problems).toEqual([
        { path: 'type', message: expect.stringMatching(/unknown event type "ticket.exploded".*ticket\.solved/) },
      ]);
    });

    it('rejects an unknown customer', async () => {
      const problems = await problemsOf(
        await send(
          'POST',
          '/v1/events',
          JSON.stringify({ id: 'e3', type: 'ticket.solved', customerId: 'nobody', data: { ticketId: '1' } }),
        ),
      );
      expect(problems).toEqual([{ path: 'customerId', message: expect.stringContaining('unknown customer "nobody"') }]);
    });

    it('recorded none of the rejected events', async () => {
      expect(await eventCount()).toBe(0);
    });
  });

  describe('PUT /v1/customers/:id', () => {
    it('rejects a bad email, time zone and unknown fields, and stores nothing', async () => {
      const problems = await problemsOf(
        await send(
          'PUT',
          '/v1/customers/dora',
          JSON.stringify({ email: 'not-an-email', timeZone: 'Mars/Olympus', colour: 'red' }),
        ),
      );
      expect(problems.map((p) => p.path).sort()).toEqual(['(root)', 'email', 'timeZone']);
      expect((await fetch(`${touchpoint.url}/v1/customers/dora`)).status).toBe(404);
    });

    it('answers 201 on create and 200 on update', async () => {
      const body = JSON.stringify({ email: 'emil@example.com', locale: 'de', timeZone: 'Europe/Berlin' });
      expect((await send('PUT', '/v1/customers/emil', body)).status).toBe(201);
      const updated = await send('PUT', '/v1/customers/emil', JSON.stringify({ email: 'emil@example.org' }));
      expect(updated.status).toBe(200);
      expect(await updated.json()).toMatchObject({ id: 'emil', email: 'emil@example.org', locale: 'en' });
    });
  });

  describe('survey links', () => {
    const workflowId = 'survey-after-contact/fritz/T-9';
    let goodToken: string;

    beforeAll(async () => {
      await send('PUT', '/v1/customers/fritz', JSON.stringify({ email: 'fritz@example.com' }));
      await send(
        'POST',
        '/v1/events',
        JSON.stringify({ id: 'e-fritz', type: 'ticket.solved', customerId: 'fritz', data: { ticketId: 'T-9' } }),
      );
      const { messages } = (await eventually(async () => {
        const inbox = (await (await fetch(`${touchpoint.url}/v1/inbox?to=fritz@example.com`)).json()) as {
          messages: { text: string }[];
        };
        return inbox.messages.length ? inbox : undefined;
      }, 'the invitation')) as { messages: { text: string }[] };
      goodToken = /\/s\/([^?\s]+)\?score=/.exec(messages[0].text)![1];
    });

    const runState = async () =>
      ((await (await fetch(`${touchpoint.url}/v1/runs/${workflowId}`)).json()) as RunDetail).state;
    const postAnswer = (token: string, score: string) =>
      fetch(`${touchpoint.url}/s/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `score=${score}`,
      });

    it('rejects a forged token on GET and POST with an error page, recording nothing', async () => {
      const forged = goodToken.slice(0, -2) + (goodToken.endsWith('AA') ? 'BB' : 'AA');
      const page = await fetch(`${touchpoint.url}/s/${forged}?score=9`);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('This survey link is not valid');
      expect((await postAnswer(forged, '9')).status).toBe(400);
      expect((await postAnswer('garbage', '9')).status).toBe(400);
      expect((await runState())?.answer).toBeUndefined();
    });

    it('rejects an expired token', async () => {
      const expired = createInvitationToken(TEST_SECRET, invitationIdFor(workflowId), new Date(Date.now() - 1000));
      const page = await fetch(`${touchpoint.url}/s/${expired}?score=9`);
      expect(page.status).toBe(410);
      expect(await page.text()).toContain('This survey link has expired');
      expect((await postAnswer(expired, '9')).status).toBe(410);
      expect((await runState())?.answer).toBeUndefined();
    });

    it('rejects a score outside the scale', async () => {
      const response = await postAnswer(goodToken, '11');
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Please choose a score');
      expect((await postAnswer(goodToken, '')).status).toBe(400);
      expect((await runState())?.answer).toBeUndefined();
    });

    it('still takes the genuine answer afterwards', async () => {
      expect((await postAnswer(goodToken, '9')).status).toBe(200);
      const state = await eventually(async () => {
        const s = await runState();
        return s?.outcome ? s : undefined;
      }, 'the run to complete');
      expect(state.answer).toMatchObject({ score: 9, class: 'promoter' });
    });
  });
});
