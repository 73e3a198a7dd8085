import type { ParsedMail } from 'mailparser';
import type { Touchpoint } from '../../client/app';
import type { RunDetail, RunSummary } from '../../client/runs';
import { eventually, shortenedCatalog, startTestTouchpoint } from '../support/touchpoint';
import { startSmtpInbox } from '../support/smtp-inbox';

/** The invitation id in a survey link (the token's first part). */
const invitationOf = (link: string) => /\/s\/([^.]+)\./.exec(link)![1];

/** The vertical slice end to end: customer → ticket.solved → NPS email over SMTP → answer → completed run. */
describe('survey after a solved ticket, with SMTP_URL and PUBLIC_URL set', () => {
  let touchpoint: Touchpoint;
  let inbox: Awaited<ReturnType<typeof startSmtpInbox>>;
  const PUBLIC_URL = 'https://cx.example.com/feedback';

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    touchpoint = await startTestTouchpoint({ SMTP_URL: inbox.url, PUBLIC_URL });
  });
  afterAll(async () => {
    await touchpoint?.stop();
    await inbox?.close();
  });

  const api = (path: string, init: RequestInit = {}) => fetch(`${touchpoint.url}${path}`, init);
  const json = (method: string, path: string, body: unknown) =>
    api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const mailTo = (address: string) =>
    eventually(
      async () => inbox.messages.find((m) => m.to && JSON.stringify(m.to).includes(address)),
      `mail to ${address}`,
    );
  const surveyLinks = (mail: ParsedMail) =>
    [...new Set(String(mail.text).match(/https:\/\/\S+/g) ?? [])].filter((url) => url.includes('?score='));
  /** The email's link, pointed at the test server instead of PUBLIC_URL (which is not served here). */
  const local = (link: string) => link.replace(PUBLIC_URL, touchpoint.url);

  it('emails the NPS invitation in German with eleven signed score links under PUBLIC_URL', async () => {
    const put = await json('PUT', '/v1/customers/anna', {
      email: 'anna@example.com',
      name: 'Anna Schmidt',
      locale: 'de',
      timeZone: 'Europe/Berlin',
    });
    expect(put.status).toBe(201);

    const response = await json('POST', '/v1/events', {
      id: 'evt-1',
      type: 'ticket.solved',
      customerId: 'anna',
      data: {
        ticketId: 'T-100',
        subject: 'Login broken',
        team: 'accounts',
        agent: 'Max Agent',
        ticketUrl: 'https://support.example.com/agent/tickets/100',
      },
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      eventId: 'evt-1',
      duplicate: false,
      started: ['survey-after-contact/anna/T-100'],
      existing: [],
      signalled: [],
      skipped: [],
    });

    const mail = await mailTo('anna@example.com');
    expect(mail.subject).toBe('Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?');
    expect(mail.text).toContain('Hallo Anna Schmidt');
    expect(mail.html).toContain('Hallo Anna Schmidt');
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@localhost>$/);
    const links = surveyLinks(mail);
    expect(links).toHaveLength(11);
    links.forEach((link, score) => {
      expect(link.startsWith(`${PUBLIC_URL}/s/`)).toBe(true);
      expect(link.endsWith(`?score=${score}`)).toBe(true);
    });
    // The HTML part carries the same eleven links (attribute values are entity-encoded).
    const hrefs = [...String(mail.html).matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&#x3D;/g, '='));
    expect(hrefs.filter((href) => href.includes('/s/'))).toEqual(links);
    // ... and the footer's unsubscribe link under PUBLIC_URL, also in the text part and the List-Unsubscribe header.
    const unsubscribe = hrefs.find((href) => href.includes('/u/'));
    expect(unsubscribe).toMatch(new RegExp(`^${PUBLIC_URL}/u/[\\w-]+\\.survey\\.[\\w-]+$`));
    expect(mail.text).toContain(unsubscribe);
    // header lines as sent, unfolded
    const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${unsubscribe}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('shows a confirm page on GET and HEAD (a mail scanner) and records nothing', async () => {
    const mail = await mailTo('anna@example.com');
    const link = local(surveyLinks(mail)[3]);
    const page = await api(new URL(link).pathname + new URL(link).search);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Bitte bestätigen Sie Ihre Antwort');
    expect(html).toMatch(/value="3" checked/);
    expect(html).not.toMatch(/value="4" checked/);
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);

    const run = (await (await api('/v1/runs/survey-after-contact/anna/T-100')).json()) as RunDetail;
    expect(run.status).toBe('running');
    expect(run.state?.answer).toBeUndefined();
    expect(run.state?.timeline.map((e) => e.kind)).toEqual(['started', 'sent', 'waiting']);
  });

  it('a detractor answer becomes a follow-up task; the answer may change until the task is closed', async () => {
    const mail = await mailTo('anna@example.com');
    const link = local(surveyLinks(mail)[3]);
    const action = link.replace(/\?score=\d+$/, '');
    const post = (body: Record<string, string>) =>
      fetch(action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    const first = await post({ score: '3', comment: 'Took too long' });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Vielen Dank für Ihr Feedback');

    // The agent gets a task with the comment and the ticket link, due in 48 hours.
    const [task] = await eventually(async () => {
      const { tasks } = (await (await api('/v1/tasks?customer=anna')).json()) as {
        tasks: { key: string; title: string; assignee: string; description: string; status: string }[];
      };
      return tasks.length ? tasks : undefined;
    }, 'the follow-up task');
    expect(task).toMatchObject({
      title: 'Call back customer anna: NPS 3 after ticket T-100',
      assignee: 'Max Agent',
      status: 'open',
      description: 'Comment: Took too long · Ticket: https://support.example.com/agent/tickets/100 · Team: accounts',
    });
    const customer = (await (await api('/v1/customers/anna')).json()) as { attributes: Record<string, unknown> };
    expect(customer.attributes).toMatchObject({ lastSurveyScore: '3', lastSurveyClass: 'detractor' });

    // The customer thinks again while the run waits for the follow-up: the answer changes (one response,
    // two revisions), the run says so.
    await eventually(async () => {
      const detail = (await (await api('/v1/runs/survey-after-contact/anna/T-100')).json()) as RunDetail;
      return detail.state?.currentStep === 'await-follow-up' ? detail : undefined;
    }, 'the run to wait for the follow-up');
    expect((await post({ score: '5', comment: 'Took too long, but solved' })).status).toBe(200);
    const changed = await eventually(async () => {
      const detail = (await (await api('/v1/runs/survey-after-contact/anna/T-100')).json()) as RunDetail;
      return detail.state?.answer?.score === 5 ? detail : undefined;
    }, 'the changed answer');
    expect(changed.state?.timeline.map((e) => e.detail)).toContain(
      'changed the answer from 3 to 5 (detractor): "Took too long, but solved"',
    );
    const stored = await touchpoint.stores.responses.get(invitationOf(link));
    expect(stored).toMatchObject({ score: 5, class: 'detractor', revisions: 2, scale: { min: 0, max: 10 } });
    expect(stored?.segment).toMatchObject({ team: 'accounts', agent: 'Max Agent' });

    // The agent closes the task: the run ends at once.
    const closed = await api(`/v1/tasks/${encodeURIComponent(task.key)}/close`, { method: 'POST' });
    expect(closed.status).toBe(200);
    const run = await eventually(async () => {
      const detail = (await (await api('/v1/runs/survey-after-contact/anna/T-100')).json()) as RunDetail;
      return detail.status === 'completed' ? detail : undefined;
    }, 'the run to complete');
    expect(run.state?.outcome).toBe('followed-up');
    expect(run.state?.timeline.map((e) => e.kind)).toEqual([
      'started',
      'sent',
      'waiting',
      'answer',
      'crm',
      'branch',
      'crm',
      'sent',
      'waiting',
      'answer',
      'event',
      'completed',
    ]);

    // A late POST after the survey closed records nothing and says so.
    const late = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=10',
    });
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('Diese Umfrage ist beendet');
  });

  it('starts nothing new for a repeated event id or a second solved event of the same ticket', async () => {
    const again = await json('POST', '/v1/events', {
      id: 'evt-1',
      type: 'ticket.solved',
      customerId: 'anna',
      data: { ticketId: 'T-100' },
    });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({
      eventId: 'evt-1',
      duplicate: true,
      started: [],
      existing: ['survey-after-contact/anna/T-100'],
      signalled: [],
      skipped: [],
    });
    const resolvedAgain = await json('POST', '/v1/events', {
      id: 'evt-2',
      type: 'ticket.solved',
      customerId: 'anna',
      data: { ticketId: 'T-100' },
    });
    expect(await resolvedAgain.json()).toEqual({
      eventId: 'evt-2',
      duplicate: false,
      started: [],
      existing: ['survey-after-contact/anna/T-100'],
      signalled: [],
      skipped: [],
    });
    const runs = await eventually(async () => {
      const list = (await (await api('/v1/runs?journey=survey-after-contact&customer=anna')).json()) as {
        runs: RunSummary[];
      };
      return list.runs.length > 0 && list.runs.every((r) => r.status === 'completed') ? list.runs : undefined;
    }, 'the run in the visibility list');
    expect(runs.map((r) => r.workflowId)).toEqual(['survey-after-contact/anna/T-100']);
    // Exactly one invitation was emailed for the ticket.
    const toAnna = inbox.messages.filter((m) => JSON.stringify(m.to).includes('anna@example.com'));
    expect(toAnna.map((m) => m.subject)).toEqual([
      'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?',
      'Danke für Ihr offenes Feedback', // the detractor's acknowledgement, not a second invitation
    ]);
  });
});

describe('survey after a solved ticket, nobody answers (built-in SMTP sink)', () => {
  let touchpoint: Touchpoint;

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint(
      {},
      { catalog: shortenedCatalog({ 'await-answer': '2s', 'await-answer-after-reminder': '2s' }) },
    );
  });
  afterAll(() => touchpoint?.stop());

  it('sends one reminder with the same links, then closes the run as no-response', async () => {
    const api = (path: string, init: RequestInit = {}) => fetch(`${touchpoint.url}${path}`, init);
    await api('/v1/customers/ben', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ben@example.com', name: 'Ben', locale: 'en-GB' }),
    });
    const response = await api('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'evt-ben', type: 'ticket.solved', customerId: 'ben', data: { ticketId: '7' } }),
    });
    expect(response.status).toBe(202);

    const run = await eventually(
      async () => {
        const detail = (await (await api('/v1/runs/survey-after-contact/ben/7')).json()) as RunDetail;
        return detail.status === 'completed' ? detail : undefined;
      },
      'the run to close without an answer',
      60_000,
    );
    expect(run.state?.outcome).toBe('no-response');
    expect(run.state?.answer).toBeUndefined();
    expect(run.state?.timeline.map((e) => `${e.kind}:${e.step ?? ''}`)).toEqual([
      'started:',
      'sent:invite',
      'waiting:await-answer',
      'timeout:await-answer',
      'sent:remind',
      'waiting:await-answer-after-reminder',
      'timeout:await-answer-after-reminder',
      'completed:',
    ]);

    const { messages } = (await (await api('/v1/inbox?to=ben@example.com')).json()) as {
      messages: { subject: string; text: string }[];
    };
    expect(messages.map((m) => m.subject)).toEqual([
      'Reminder: one click to tell us how we did',
      'How likely are you to recommend us?',
    ]);
    const linksOf = (text: string) => text.match(/http:\/\/localhost:\d+\/s\/\S+/g);
    expect(linksOf(messages[0].text)).toHaveLength(11);
    expect(linksOf(messages[0].text)).toEqual(linksOf(messages[1].text));
  });
});
