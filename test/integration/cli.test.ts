import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Touchpoint } from '../../client/app';
import { touchpointCli } from '../support/cli';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

describe('the touchpoint CLI', () => {
  let touchpoint: Touchpoint;
  const cli = (...args: string[]) => touchpointCli(args, touchpoint.url);

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint();
  });
  afterAll(() => touchpoint?.stop());

  it('upserts a customer and sends an event that starts the survey', async () => {
    const upsert = await cli('customers', 'upsert', 'gina', '--email', 'gina@example.com', '--locale', 'de');
    expect(upsert.code).toBe(0);
    expect(JSON.parse(upsert.stdout)).toMatchObject({ id: 'gina', locale: 'de' });

    const sendSolved = () =>
      cli(
        'events',
        'send',
        '--type',
        'ticket.solved',
        '--customer',
        'gina',
        '--data',
        '{"ticketId":"Z-1"}',
        '--id',
        'cli-1',
      );
    const sent = await sendSolved();
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('Event cli-1 accepted');
    expect(sent.stdout).toContain('started  survey-after-contact/gina/Z-1');

    const repeated = await sendSolved();
    expect(repeated.stdout).toContain('was already received: nothing done again');
  });

  it('lists and shows runs with a readable timeline', async () => {
    const listed = await eventually(async () => {
      const result = await cli('runs', 'list', '--journey', 'survey-after-contact', '--customer', 'gina');
      return result.stdout.includes('survey-after-contact/gina/Z-1') ? result : undefined;
    }, 'the run in `runs list`');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^WORKFLOW ID\s+STATUS\s+STEP\s+STARTED/);

    const shown = await eventually(async () => {
      const result = await cli('runs', 'show', 'survey-after-contact/gina/Z-1');
      return result.stdout.includes('waiting') ? result : undefined;
    }, 'the run to wait for the answer');
    expect(shown.stdout).toMatch(/Journey {3}survey-after-contact v\d+/);
    expect(shown.stdout).toContain('Status    running, at step await-answer');
    expect(shown.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+started/);
    expect(shown.stdout).toMatch(/sent\s+\[invite\] email "nps-invitation" \(de\) sent to gina@example.com/);

    const json = await cli('runs', 'show', 'survey-after-contact/gina/Z-1', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ workflowId: 'survey-after-contact/gina/Z-1', status: 'running' });

    // An event for a running run says which run it told (here: the reopened ticket ends the survey).
    const reopened = await cli(
      'events',
      'send',
      '--type',
      'ticket.reopened',
      '--customer',
      'gina',
      '--data',
      '{"ticketId":"Z-1"}',
    );
    expect(reopened.code).toBe(0);
    expect(reopened.stdout).toContain('told     survey-after-contact/gina/Z-1');
  });

  it('exits 2 with the field path on bad input, and 1 when a run does not exist', async () => {
    const badJson = await cli('events', 'send', '--type', 'ticket.solved', '--customer', 'gina', '--data', '{oops');
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--data is not valid JSON');

    const badAttributes = await cli('customers', 'upsert', 'gina', '--email', 'g@example.com', '--attributes', '[x');
    expect(badAttributes.code).toBe(2);
    expect(badAttributes.stderr).toContain('--attributes is not valid JSON');

    const unknownType = await cli('events', 'send', '--type', 'ticket.exploded', '--customer', 'gina');
    expect(unknownType.code).toBe(2);
    expect(unknownType.stderr).toMatch(/type: unknown event type "ticket.exploded"/);

    const missingField = await cli('events', 'send', '--type', 'ticket.solved', '--customer', 'gina');
    expect(missingField.code).toBe(2);
    expect(missingField.stderr).toContain('data.ticketId');

    const badStatus = await cli('runs', 'list', '--status', 'sleeping');
    expect(badStatus.code).toBe(2);

    const missing = await cli('runs', 'show', 'survey-after-contact/nobody/0');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no journey run with workflow id "survey-after-contact/nobody/0"');
  });

  it('says how to start Touchpoint when it cannot reach it', async () => {
    const result = await touchpointCli(['runs', 'list'], 'http://127.0.0.1:9');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach Touchpoint at http://127.0.0.1:9');
    expect(result.stderr).toContain('npm start');
  });

  it('prints the journey JSON Schema and validates journey files (exit 2 with file:line on problems)', async () => {
    const schema = await cli('journeys', 'schema');
    expect(schema.code).toBe(0);
    const parsed = JSON.parse(schema.stdout);
    expect(parsed.title).toBe('Touchpoint journey');
    expect(parsed.required).toEqual(expect.arrayContaining(['id', 'version', 'trigger', 'steps']));
    expect(JSON.stringify(parsed.properties.steps)).toContain('waitFor');

    const good = await cli('journeys', 'validate', path.resolve(__dirname, '../../journeys/survey-after-contact.yaml'));
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('valid');

    const dir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-cli-'));
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'id: bad\nversion: 1\nname: Bad\ncategory: survey\ntrigger: { event: ticket.solved }\nsteps:\n' +
        '  - { id: hi, type: send, template: missing-template }\n  - { id: end, type: exit, outcome: done }\n',
    );
    const result = await cli('journeys', 'validate', bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}:7  steps.0.template: no template "missing-template"`);
    expect(result.stderr).toContain('1 problem found');
  });

  it('simulates a journey day by day, and rejects a bad customer or an unknown journey with exit 2', async () => {
    const customer = JSON.stringify({ email: 'sim@example.com', locale: 'de', timeZone: 'Europe/Berlin' });
    const result = await cli('journeys', 'simulate', 'survey-after-contact', '--customer', customer, '--days', '10');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Day 0\n/);
    expect(result.stdout).toMatch(/Day 3\n.*timeout/);
    expect(result.stdout).toContain('Ended: no-response');
    expect(result.stdout).toContain('Day 3  to sim@example.com: "Erinnerung: Ein Klick, um uns zu bewerten"');

    const badCustomer = await cli('journeys', 'simulate', 'survey-after-contact', '--customer', '{"email":"nope"}');
    expect(badCustomer.code).toBe(2);
    expect(badCustomer.stderr).toContain('customer.email');

    const unknown = await cli('journeys', 'simulate', 'no-such-journey', '--customer', customer);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no journey file or built-in journey "no-such-journey"');
  });
});
