import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Touchpoint } from '../../client/app';
import type { RunDetail } from '../../client/runs';
import { touchpointCli } from '../support/cli';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

// The built-in survey journey as published on start-up (call its version "old"), and the next version,
// which invites with the reminder template, so which version a run took shows in its email.
const OLD_SOURCE = readFileSync(path.resolve(__dirname, '../../journeys/survey-after-contact.yaml'), 'utf8');
const OLD = Number(/^version: (\d+)$/m.exec(OLD_SOURCE)![1]);
const NEW = OLD + 1;
const NEW_SOURCE = OLD_SOURCE.replace(`version: ${OLD}`, `version: ${NEW}`).replace(
  'template: nps-invitation',
  'template: nps-reminder',
);

interface JourneyList {
  journeys: { id: string; latestVersion: number; versions: { version: number; running: number }[] }[];
}

/** Publishing a new version affects new runs only: a run started on the old version finishes on it. */
describe('journey versions', () => {
  let touchpoint: Touchpoint;
  beforeAll(async () => {
    touchpoint = await startTestTouchpoint();
  });
  afterAll(() => touchpoint?.stop());

  const call = (method: string, url: string, body?: string, type = 'application/json') =>
    fetch(`${touchpoint.url}${url}`, { method, headers: body ? { 'content-type': type } : {}, body });
  const publish = (yaml: string) => call('POST', '/v1/journeys', yaml, 'application/yaml');
  const solve = (customer: string, ticket: string) =>
    call(
      'POST',
      '/v1/events',
      JSON.stringify({ id: `v-${ticket}`, type: 'ticket.solved', customerId: customer, data: { ticketId: ticket } }),
    );
  const inbox = async (to: string) =>
    ((await (await call('GET', `/v1/inbox?to=${to}`)).json()) as { messages: { subject: string; text: string }[] })
      .messages;
  const run = async (id: string) => (await (await call('GET', `/v1/runs/${id}`)).json()) as RunDetail;

  // Listed by id: gift-request comes first.
  const surveyJourney = (list: JourneyList) => list.journeys.find((j) => j.id === 'survey-after-contact')!;

  it('lists the built-in journeys, published on start-up', async () => {
    const list = (await (await call('GET', '/v1/journeys')).json()) as JourneyList;
    expect(list.journeys.map((j) => j.id)).toEqual([
      'gift-request',
      'survey-after-contact',
      'thank-you-gift',
      'win-back',
    ]);
    expect(surveyJourney(list)).toEqual({
      id: 'survey-after-contact',
      name: 'NPS survey after a solved ticket',
      latestVersion: OLD,
      versions: [{ version: OLD, publishedAt: expect.any(String), running: 0 }],
    });
  });

  it('keeps a run on its version after a new one is published, and starts new runs on the new one', async () => {
    await call('PUT', '/v1/customers/vera', JSON.stringify({ email: 'vera@example.com' }));
    await solve('vera', 'A');
    const [invitation] = await eventually(async () => {
      const messages = await inbox('vera@example.com');
      return messages.length ? messages : undefined;
    }, "the old version's invitation");
    expect(invitation.subject).toBe('How likely are you to recommend us?');

    // Publish the new version through the CLI, as a marketer would.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-new-'));
    writeFileSync(path.join(dir, 'new.yaml'), NEW_SOURCE);
    const published = await touchpointCli(['journeys', 'publish', path.join(dir, 'new.yaml')], touchpoint.url);
    expect(published.stderr).toBe('');
    expect(published.stdout).toContain(`Published survey-after-contact v${NEW}`);

    await solve('vera', 'B');
    const second = await eventually(async () => {
      const messages = await inbox('vera@example.com');
      return messages.length === 2 ? messages[0] : undefined;
    }, "the new version's invitation");
    expect(second.subject).toBe('Reminder: one click to tell us how we did');
    expect((await run('survey-after-contact/vera/B')).state?.journeyVersion).toBe(NEW);

    // The first run is still on the old version, and finishes on it.
    const link = /(http:\/\/localhost:\d+\/s\/[^?\s]+)\?score=8/.exec(invitation.text)![1];
    await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=8',
    });
    const finished = await eventually(async () => {
      const detail = await run('survey-after-contact/vera/A');
      return detail.status === 'completed' ? detail : undefined;
    }, 'the first run to complete');
    expect(finished.state).toMatchObject({ journeyVersion: OLD, outcome: 'passive' });

    const list = await eventually(async () => {
      const body = (await (await call('GET', '/v1/journeys')).json()) as JourneyList;
      const versions = surveyJourney(body).versions;
      return versions[0]?.running === 0 && versions[1]?.running === 1 ? body : undefined;
    }, 'the in-flight counts');
    expect(surveyJourney(list)).toMatchObject({
      latestVersion: NEW,
      versions: [
        { version: OLD, running: 0 },
        { version: NEW, running: 1 },
      ],
    });

    const listed = (await touchpointCli(['journeys', 'list'], touchpoint.url)).stdout;
    expect(listed).toMatch(
      new RegExp(
        `survey-after-contact {2}NPS survey after a solved ticket\\n {2}v${OLD} {2}published \\S+ {2}0 running\\n {2}v${NEW} \\(new runs\\) {2}published \\S+ {2}1 running`,
      ),
    );
  });

  it('treats a repeated publish as unchanged, and refuses changed content under a published or lower version', async () => {
    expect((await publish(NEW_SOURCE)).status).toBe(200);
    const changed = await publish(NEW_SOURCE.replace('linksValidFor: 14d', 'linksValidFor: 20d'));
    expect(changed.status).toBe(409);
    expect(((await changed.json()) as { message: string }).message).toContain(`publish it as version ${NEW + 1}`);
    const lower = await publish(OLD_SOURCE.replace('linksValidFor: 14d', 'linksValidFor: 20d'));
    expect(lower.status).toBe(409);
  });

  it('refuses an invalid journey with its problems and their lines, publishing nothing', async () => {
    const broken = NEW_SOURCE.replace(`version: ${NEW}`, `version: ${NEW + 1}`).replace(
      'onTimeout: remind',
      'onTimeout: nowhere',
    );
    const response = await publish(broken);
    expect(response.status).toBe(400);
    const { problems } = (await response.json()) as { problems: { path: string; line: number; message: string }[] };
    expect(problems).toEqual([
      {
        path: 'steps.1.onTimeout',
        line: broken.split('\n').findIndex((l) => l.includes('nowhere')) + 1,
        message: 'refers to step "nowhere", which this journey does not have',
      },
    ]);
    const list = (await (await call('GET', '/v1/journeys')).json()) as JourneyList;
    expect(surveyJourney(list).latestVersion).toBe(NEW);
  });
});
