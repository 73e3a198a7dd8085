import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TemplateLibrary } from '../../../activities/email/templates';
import { readJourneySource } from '../../../client/journey-catalog';
import { validateJourneyFile, validateJourneySource } from '../../../client/journey-validation';
import { GiftCatalog } from '../../../model/gift';
import { loadGiftCatalog } from '../../../activities/gifts/catalog';

const templatesDir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-validate-'));
const template = (name: string, files: Record<string, string>) => {
  mkdirSync(path.join(templatesDir, name), { recursive: true });
  for (const [file, body] of Object.entries(files)) writeFileSync(path.join(templatesDir, name, file), body);
};
// Whole <mjml> documents, so these templates need no layout.
const mjml = (text: string) =>
  `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;
template('hello', {
  'en.subject.hbs': 'Hi',
  'en.mjml.hbs': mjml('Hi {{customer.name}}'),
  'en.text.hbs': 'Hi {{customer.name}}',
  'de.text.hbs': 'Hallo',
});
template('english-only', { 'en.subject.hbs': 'Hi', 'en.mjml.hbs': mjml('Hi') });
template('needs-coupon', {
  'en.subject.hbs': 'Offer',
  'en.mjml.hbs': mjml('An offer'),
  'en.text.hbs': 'Your code: {{coupon.code}}',
});
const templates = new TemplateLibrary(templatesDir);

const validate = (yaml: string) => validateJourneySource(readJourneySource(yaml, 'j.yaml'), templates);
const header = (extra = '') => `id: test
version: 1
name: Test
category: marketing
locales: [en]
trigger: { event: ticket.solved }
${extra}steps:
`;

describe('journeys validate', () => {
  it('accepts a sound journey', async () => {
    expect(
      await validate(
        header() + '  - { id: hi, type: send, template: hello }\n  - { id: end, type: exit, outcome: done }\n',
      ),
    ).toEqual([]);
  });

  it('reports an unknown step reference at its line (schema)', async () => {
    const problems = await validate(
      header() +
        '  - { id: hi, type: send, template: hello, next: nowhere }\n  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems).toEqual([
      {
        file: 'j.yaml',
        line: 8,
        path: 'steps.0.next',
        message: 'refers to step "nowhere", which this journey does not have',
      },
    ]);
  });

  it('reports an unreachable step', async () => {
    const problems = await validate(
      header() +
        '  - { id: hi, type: send, template: hello, next: end }\n' +
        '  - { id: orphan, type: send, template: hello }\n' +
        '  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems).toEqual([
      {
        file: 'j.yaml',
        line: 9,
        path: 'steps.1.id',
        message: 'step "orphan" can never be reached from the first step',
      },
    ]);
  });

  it('reports a loop without a wait, but accepts one with a wait', async () => {
    const loop =
      '  - id: check\n    type: branch\n    cases: [{ when: { path: data.done, op: exists }, next: end }]\n    otherwise: again\n' +
      '  - { id: again, type: send, template: hello, next: check }\n' +
      '  - { id: end, type: exit, outcome: done }\n';
    const problems = await validate(header() + loop);
    expect(problems).toEqual([
      {
        file: 'j.yaml',
        line: 8,
        path: 'steps.0.id',
        message: 'the loop check → again → check has no wait or waitFor: the run would repeat it without pause',
      },
    ]);
    const withWait = loop.replace(
      'next: check }',
      'next: pause }\n  - { id: pause, type: wait, duration: 1d, next: check }',
    );
    expect(await validate(header() + withWait)).toEqual([]);
  });

  it('reports a missing template and a missing locale', async () => {
    const problems = await validate(
      header().replace('locales: [en]', 'locales: [en, de]') +
        '  - { id: a, type: send, template: english-only }\n' +
        '  - { id: b, type: send, template: nope }\n' +
        '  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [8, 'steps.0.template', 'template "english-only" has no de part (it has: en)'],
      [9, 'steps.1.template', `no template "nope" in ${templatesDir}`],
    ]);
  });

  it('reports a template variable the journey cannot provide, naming it', async () => {
    const problems = await validate(
      header() + '  - { id: offer, type: send, template: needs-coupon }\n  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 8, path: 'steps.0.template' });
    expect(problems[0].message).toBe(
      'template "needs-coupon" (en) cannot be rendered with what this journey provides: ' +
        'template "needs-coupon": en.text.hbs: line 1: the variable "coupon.code" is not provided',
    );
  });

  it('reports unknown event types in trigger, exit, goal and waitFor', async () => {
    const problems = await validate(
      header('exit: [ticket.vanished]\ngoal: [order.placed]\n').replace('ticket.solved', 'ticket.closed') +
        '  - { id: w, type: waitFor, events: [parcel.arrived], timeout: 1d, onTimeout: end }\n' +
        '  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [6, 'trigger.event'],
      [7, 'exit.0'],
      [10, 'steps.0.events.0'],
    ]);
    expect(problems[0].message).toMatch(/^unknown event type "ticket.closed"; known types: ticket.solved/);
  });

  it.each(['survey-after-contact', 'win-back', 'thank-you-gift', 'gift-request'])(
    'validates the built-in journey %s against the built-in templates',
    async (id) => {
      const builtIn = new TemplateLibrary(path.resolve(__dirname, '../../../templates'));
      expect(
        await validateJourneyFile(path.resolve(__dirname, `../../../journeys/${id}.yaml`), builtIn, loadGiftCatalog()),
      ).toEqual([]);
    },
  );

  it('reports an unreadable file', async () => {
    expect((await validateJourneyFile('/nonexistent/j.yaml', templates))[0].message).toMatch(/^cannot read the file/);
  });

  it('reports a {{placeholder}} text that cannot be read (a webhook body ending in "}}}")', async () => {
    const problems = await validate(
      header() +
        '  - id: hook\n    type: webhook\n    url: https://example.com/hook\n' +
        '    body: \'{"ticket": {{json event.data.ticketId}}}\'\n' +
        '  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 11,
        path: 'steps.0.body',
        message: expect.stringMatching(/^cannot be read as a \{\{placeholder\}\} text: /),
      }),
    ]);
  });

  it('reports a holdout path that reaches a send step', async () => {
    const problems = await validate(
      header() +
        '  - id: group\n    type: split\n    paths:\n' +
        '      - { name: holdout, weight: 1, next: hello, holdout: true }\n' +
        '      - { name: treated, weight: 9, next: hello }\n' +
        '  - { id: hello, type: send, template: hello }\n' +
        '  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [11, 'steps.0.paths.0', 'the holdout path "holdout" reaches the send step "hello"'],
    ]);
  });

  it('reports a holdout path that reaches a coupon or a gift: the holdout gets nothing', async () => {
    const problems = await validate(
      header() +
        '  - id: group\n    type: split\n    paths:\n' +
        '      - { name: holdout, weight: 1, next: offer, holdout: true }\n' +
        '      - { name: treated, weight: 9, next: end }\n' +
        '  - { id: offer, type: coupon, campaign: back, percentOff: 10 }\n' +
        '  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['steps.0.paths.0', 'the holdout path "holdout" reaches the coupon step "offer"'],
    ]);
  });

  it('checks a gift step against the gift catalog and its address-request template', async () => {
    const catalog = GiftCatalog.parse({
      campaigns: [{ id: 'thanks', budget: { amount: 100, currency: 'EUR', period: 'month' }, products: ['box'] }],
      products: [{ id: 'box', kind: 'physical', name: { en: 'A box' }, value: 20, currency: 'EUR', cost: 25 }],
    });
    const journey = (campaign: string, extra = '') =>
      readJourneySource(
        header() +
          `  - { id: gift, type: gift, campaign: ${campaign}${extra} }\n` +
          '  - { id: end, type: exit, outcome: done }\n',
        'j.yaml',
      );
    const unknown = await validateJourneySource(journey('nope', ', addressTemplate: hello'), templates, catalog);
    expect(unknown.map((p) => [p.path, p.message])).toEqual([
      [
        'steps.0.campaign',
        'campaign "nope" is not in the gift catalog (campaigns: thanks); add it to the catalog (GIFT_CATALOG), ' +
          'or give "value" and "currency" for a fixed voucher',
      ],
    ]);
    // A fixed voucher needs no catalog campaign and sends no address request.
    expect(await validateJourneySource(journey('nope', ', value: 5, currency: EUR'), templates, catalog)).toEqual([]);
    const noTemplate = await validateJourneySource(journey('thanks', ', addressTemplate: missing'), templates, catalog);
    expect(noTemplate.map((p) => [p.path, p.message])).toEqual([
      ['steps.0.addressTemplate', `no template "missing" in ${templatesDir}`],
    ]);
  });

  it('refuses a fixed date as untilDate and a next on branch or split (it would be ignored)', async () => {
    const fixed = await validate(
      header() + '  - { id: w, type: wait, untilDate: "2026-12-24" }\n  - { id: end, type: exit, outcome: done }\n',
    );
    expect(fixed[0]).toMatchObject({
      path: 'steps.0.untilDate',
      message: expect.stringMatching(/^must be a path to a date/),
    });
    const branchNext = await validate(
      header() +
        '  - { id: b, type: branch, cases: [{ when: { path: data.x, op: exists }, next: end }], otherwise: end, next: end }\n' +
        '  - { id: end, type: exit, outcome: done }\n',
    );
    expect(branchNext[0]?.path).toBe('steps.0');
  });

  it('reports an unknown scorer, listing the known ones', async () => {
    const problems = await validate(
      header() +
        '  - { id: s, type: score, scorer: crystal-ball, into: risk }\n  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems).toEqual([
      {
        file: 'j.yaml',
        line: 8,
        path: 'steps.0.scorer',
        message: 'unknown scorer; known scorers: days-since-last-order, order-count, lifetime-value, churn-risk',
      },
    ]);
  });

  it('reports an "on" path for an event the waitFor does not wait for', async () => {
    const problems = await validate(
      header() +
        '  - { id: w, type: waitFor, events: [order.placed], timeout: 1d, on: { ticket.reopened: end }, onTimeout: end }\n' +
        '  - { id: end, type: exit, outcome: done }\n',
    );
    expect(problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [8, 'steps.0.on.ticket.reopened', '"ticket.reopened" is not one of the events this step waits for'],
    ]);
  });
});
