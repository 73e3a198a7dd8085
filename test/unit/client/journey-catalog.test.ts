import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JourneyCatalog, JourneyDefinitionError, parseJourney } from '../../../client/journey-catalog';

const REAL_FILE = path.resolve(__dirname, '../../../journeys/survey-after-contact.yaml');
const realSource = () => readFileSync(REAL_FILE, 'utf8');

/** The JourneyDefinitionError parseJourney throws (fails the test if it throws nothing or something else). */
const definitionError = (source: string, file = 'test.yaml'): JourneyDefinitionError => {
  try {
    parseJourney(source, file);
  } catch (error) {
    expect(error).toBeInstanceOf(JourneyDefinitionError);
    return error as JourneyDefinitionError;
  }
  throw new Error('expected a JourneyDefinitionError');
};

/** Lines are numbered from 1 as written here. */
const WELCOME = [
  'id: welcome', // 1
  'version: 2', // 2
  'name: Welcome', // 3
  'category: transactional', // 4
  'trigger:', // 5
  '  event: customer.created', // 6
  'steps:', // 7
  '  - id: hello', // 8
  '    type: send', // 9
  '    template: welcome', // 10
  '    next: done', // 11
  '  - id: done', // 12
  '    type: exit', // 13
  '    outcome: welcomed', // 14
].join('\n');

describe('parseJourney', () => {
  it('parses the built-in survey-after-contact journey', () => {
    const journey = parseJourney(realSource(), 'survey-after-contact.yaml');
    expect(journey).toMatchObject({
      id: 'survey-after-contact',
      version: 4,
      category: 'survey',
      trigger: { event: 'ticket.solved', key: 'data.ticketId' },
      survey: { kind: 'nps', linksValidFor: '14d' },
    });
    expect(journey.steps.map((s) => `${s.id}:${s.type}`)).toEqual([
      'invite:send',
      'await-answer:waitFor',
      'remind:send',
      'await-answer-after-reminder:waitFor',
      'record-score:crm',
      'by-class:branch',
      'follow-up:crm',
      'acknowledge:send',
      'await-follow-up:waitFor',
      'escalate:crm',
      'await-follow-up-after-escalation:waitFor',
      'followed-up:exit',
      'not-followed-up:exit',
      'review-ask:send',
      'promoter-gift:gift',
      'promoter-thank-you:send',
      'promoter-gift-note:crm',
      'promoter:exit',
      'thank-passive:send',
      'passive:exit',
      'no-response:exit',
      'not-surveyed:exit',
    ]);
    expect(journey.steps[0]).toMatchObject({ onSkipped: 'not-surveyed' });
  });

  it('reports an unknown step reference with the YAML line of that field', () => {
    const error = definitionError(WELCOME.replace('next: done', 'next: nowhere'), 'welcome.yaml');
    expect(error.problems).toEqual([
      {
        file: 'welcome.yaml',
        line: 11,
        path: 'steps.0.next',
        message: 'refers to step "nowhere", which this journey does not have',
      },
    ]);
    expect(error.message).toContain('welcome.yaml:11 steps.0.next: refers to step "nowhere"');
  });

  it('reports the line of the field in the real journey too (onTimeout of the first wait)', () => {
    const source = realSource().replace('onTimeout: remind', 'onTimeout: nowhere');
    const line = source.split('\n').findIndex((l) => l.includes('onTimeout: nowhere')) + 1;
    expect(definitionError(source).problems).toEqual([expect.objectContaining({ line, path: 'steps.1.onTimeout' })]);
  });

  it('points a missing field at the nearest node that exists (its parent)', () => {
    const error = definitionError(WELCOME.replace('    outcome: welcomed', ''));
    // steps.1.outcome is missing: the problem points at step 1, which starts on line 12.
    expect(error.problems).toEqual([expect.objectContaining({ path: 'steps.1.outcome', line: 12 })]);
  });

  it('reports broken YAML syntax with a line and the path "(yaml)"', () => {
    const broken = ['id: welcome', 'name: "unterminated', 'version: 1', ''].join('\n');
    const error = definitionError(broken, 'broken.yaml');
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.problems[0]).toEqual({
      file: 'broken.yaml',
      line: expect.any(Number),
      path: '(yaml)',
      message: expect.stringMatching(/quote/i),
    });
    expect(error.problems[0].line).toBeGreaterThanOrEqual(2);
  });

  it('reports an unclosed flow sequence at the line where YAML notices it', () => {
    const broken = ['id: welcome', 'steps: [a, b', 'name: x', ''].join('\n');
    expect(definitionError(broken).problems).toEqual([expect.objectContaining({ path: '(yaml)', line: 3 })]);
  });

  it('reports duplicate YAML keys instead of silently keeping one', () => {
    const error = definitionError(`${WELCOME}\nversion: 3\n`);
    expect(error.problems).toEqual([expect.objectContaining({ path: '(yaml)', line: 15 })]);
  });

  it('reports an empty file at "(root)" without a line', () => {
    const error = definitionError('');
    expect(error.problems).toEqual([
      { file: 'test.yaml', line: undefined, path: '(root)', message: expect.stringContaining('expected object') },
    ]);
    expect(error.message).toContain('  test.yaml (root): ');
  });
});

describe('JourneyCatalog', () => {
  const survey = parseJourney(realSource(), 'survey-after-contact.yaml');
  const welcome = parseJourney(WELCOME, 'welcome.yaml');

  it('get and all', () => {
    const catalog = new JourneyCatalog([survey, welcome]);
    expect(catalog.get('welcome')).toBe(welcome);
    expect(catalog.get('nope')).toBeUndefined();
    expect(catalog.all().map((j) => j.id)).toEqual(['survey-after-contact', 'welcome']);
  });

  it('fromDirectory() reads the built-in journeys folder by default', () => {
    const catalog = JourneyCatalog.fromDirectory();
    expect(catalog.get('survey-after-contact')).toEqual(survey);
  });

  describe('fromDirectory(dir)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-journeys-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads *.yaml and *.yml files and ignores others', () => {
      writeFileSync(path.join(dir, 'survey.yaml'), realSource());
      writeFileSync(path.join(dir, 'welcome.yml'), WELCOME);
      writeFileSync(path.join(dir, 'notes.txt'), 'not: a journey');
      expect(
        JourneyCatalog.fromDirectory(dir)
          .all()
          .map((j) => j.id)
          .sort(),
      ).toEqual(['survey-after-contact', 'welcome']);
    });

    it('refuses two files with the same journey id, naming both', () => {
      writeFileSync(path.join(dir, 'a.yaml'), WELCOME);
      writeFileSync(path.join(dir, 'b.yaml'), WELCOME);
      expect(() => JourneyCatalog.fromDirectory(dir)).toThrow(
        /b\.yaml id: journey id "welcome" is also used by a\.yaml/,
      );
    });

    it('names the bad file in its error', () => {
      writeFileSync(path.join(dir, 'bad.yaml'), WELCOME.replace('next: done', 'next: nowhere'));
      expect(() => JourneyCatalog.fromDirectory(dir)).toThrow(/bad\.yaml:11 steps\.0\.next/);
    });
  });
});
