import { Journey, journeyWorkflowId } from '../../../model/journey';
import { readPath } from '../../../model/path';

/** A valid survey journey; tests change one thing at a time. */
const base = () => ({
  id: 'survey-after-contact',
  version: 1,
  name: 'NPS survey',
  category: 'survey',
  trigger: { event: 'ticket.solved', key: 'data.ticketId' },
  survey: { kind: 'nps' },
  steps: [
    { id: 'invite', type: 'send', template: 'nps-invitation', survey: true },
    {
      id: 'await',
      type: 'waitFor',
      events: ['survey.answered'],
      timeout: '3d',
      onEvent: 'answered',
      onTimeout: 'gone',
    },
    { id: 'answered', type: 'exit', outcome: 'answered' },
    { id: 'gone', type: 'exit', outcome: 'no-response' },
  ] as Record<string, unknown>[],
});

const issuesOf = (input: unknown) => {
  const result = Journey.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path, message: i.message }));
};

describe('Journey', () => {
  it('accepts a valid journey and applies defaults (survey links 30d, send without survey)', () => {
    const input = base();
    input.steps.unshift({ id: 'hello', type: 'send', template: 'welcome' });
    const journey = Journey.parse(input);
    expect(journey.survey).toEqual({ kind: 'nps', linksValidFor: '30d' });
    expect(journey.steps[0]).toEqual({
      id: 'hello',
      type: 'send',
      channel: 'email',
      template: 'welcome',
      survey: false,
    });
  });

  it('reports a duplicate step id at the second occurrence', () => {
    const input = base();
    input.steps[3].id = 'answered';
    input.steps[1].onTimeout = 'answered';
    expect(issuesOf(input)).toEqual([{ path: ['steps', 3, 'id'], message: 'duplicate step id "answered"' }]);
  });

  it.each([
    ['next', 0, { next: 'nowhere' }],
    ['onEvent', 1, { onEvent: 'nowhere' }],
    ['onTimeout', 1, { onTimeout: 'nowhere' }],
  ] as const)('reports a "%s" to a missing step at that field', (field, index, change) => {
    const input = base();
    Object.assign(input.steps[index], change);
    expect(issuesOf(input)).toEqual([
      { path: ['steps', index, field], message: 'refers to step "nowhere", which this journey does not have' },
    ]);
  });

  it('allows a reference to a step defined later in the list (forward jump)', () => {
    const input = base();
    input.steps[0].next = 'gone';
    expect(Journey.safeParse(input).success).toBe(true);
  });

  it('rejects a send step with survey: true when the journey has no survey section', () => {
    const input: Record<string, unknown> = base();
    delete input.survey;
    expect(issuesOf(input)).toEqual([
      { path: ['steps', 0, 'survey'], message: 'the step sends survey links but the journey has no "survey" section' },
    ]);
  });

  it('rejects a journey whose last step is not an exit', () => {
    const input = base();
    input.steps.push({ id: 'bye', type: 'send', template: 'goodbye' });
    expect(issuesOf(input)).toEqual([
      { path: ['steps', 4], message: 'the last step must be an "exit" (or jump elsewhere with "next")' },
    ]);
  });

  it('accepts a last send step that jumps elsewhere with next', () => {
    const input = base();
    input.steps.push({ id: 'bye', type: 'send', template: 'goodbye', next: 'gone' });
    expect(Journey.safeParse(input).success).toBe(true);
  });

  it('rejects a last waitFor step (it would fall off the end on an event)', () => {
    const input = base();
    input.steps.push({ id: 'linger', type: 'waitFor', events: ['ticket.reopened'], timeout: '1d', onTimeout: 'gone' });
    expect(issuesOf(input).map((i) => i.path)).toEqual([['steps', 4]]);
  });

  it.each([
    ['an upper-case step id', { id: 'Invite' }, ['steps', 0, 'id']],
    ['an unknown step type', { type: 'sms' }, ['steps', 0, 'type']],
    ['an unknown key on a step', { retries: 3 }, ['steps', 0]],
  ] as const)('rejects %s', (_, change, path) => {
    const input = base();
    Object.assign(input.steps[0], change);
    expect(issuesOf(input).map((i) => i.path)).toContainEqual(path);
  });

  it('rejects a waitFor with a bad timeout and no events', () => {
    const input = base();
    Object.assign(input.steps[1], { timeout: 'forever', events: [] });
    expect(
      issuesOf(input)
        .map((i) => i.path.join('.'))
        .sort(),
    ).toEqual(['steps.1.events', 'steps.1.timeout']);
  });

  it('rejects an empty step list, a bad category and a non-positive version', () => {
    const input = { ...base(), steps: [], category: 'spam', version: 0 };
    expect(
      issuesOf(input)
        .map((i) => i.path.join('.'))
        .sort(),
    ).toEqual(['category', 'steps', 'version']);
  });
});

describe('readPath', () => {
  const event = { id: 'e1', data: { ticketId: 'T-42', count: 0, empty: '', nested: { deep: null } } };

  it('reads nested values by dotted path', () => {
    expect(readPath(event, 'data.ticketId')).toBe('T-42');
    expect(readPath(event, 'id')).toBe('e1');
  });

  it('returns falsy values as they are (not undefined)', () => {
    expect(readPath(event, 'data.count')).toBe(0);
    expect(readPath(event, 'data.empty')).toBe('');
    expect(readPath(event, 'data.nested.deep')).toBeNull();
  });

  it('returns undefined when any part is missing, null or not an object', () => {
    expect(readPath(event, 'data.missing')).toBeUndefined();
    expect(readPath(event, 'nothing.here')).toBeUndefined();
    expect(readPath(event, 'data.nested.deep.deeper')).toBeUndefined(); // through null
    expect(readPath(event, 'data.ticketId.length')).toBeUndefined(); // through a string
    expect(readPath(undefined, 'data')).toBeUndefined();
  });
});

describe('journeyWorkflowId', () => {
  it('is <journeyId>/<customerId> without a key', () => {
    expect(journeyWorkflowId({ id: 'welcome' }, 'anna')).toBe('welcome/anna');
  });

  it('is <journeyId>/<customerId>/<key> with a key', () => {
    expect(journeyWorkflowId({ id: 'survey-after-contact' }, 'anna', 'T-42')).toBe('survey-after-contact/anna/T-42');
  });

  it('is deterministic and distinguishes keys', () => {
    const journey = { id: 'j' };
    expect(journeyWorkflowId(journey, 'c', 'k')).toBe(journeyWorkflowId(journey, 'c', 'k'));
    expect(journeyWorkflowId(journey, 'c', 'k1')).not.toBe(journeyWorkflowId(journey, 'c', 'k2'));
  });
});
