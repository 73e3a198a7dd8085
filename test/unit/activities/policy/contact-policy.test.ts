import { decideContact, type ContactFacts } from '../../../../activities/policy/contact-policy';
import { DEFAULT_CONTACT_POLICY, type ContactPolicy } from '../../../../model/contact-policy';

const noon = new Date('2026-06-10T10:00:00Z'); // 12:00 in Berlin
const night = new Date('2026-06-10T21:00:00Z'); // 23:00 in Berlin
const facts = (overrides: Partial<ContactFacts> = {}): ContactFacts => ({
  category: 'marketing',
  timeZone: 'Europe/Berlin',
  preference: 'granted',
  recentMessages: 0,
  recentSurveys: 0,
  surveyOngoing: false,
  now: noon,
  ...overrides,
});
const decide = (overrides: Partial<ContactFacts>, policy: ContactPolicy = DEFAULT_CONTACT_POLICY) =>
  decideContact(policy, facts(overrides));

describe('decideContact (the contact policy)', () => {
  it('sends marketing with consent or soft opt-in, within the cap, outside quiet hours', () => {
    expect(decide({})).toEqual({ decision: 'send' });
    expect(decide({ preference: 'soft-opt-in', recentMessages: 1 })).toEqual({ decision: 'send' });
  });

  it('skips marketing without consent, and after an opt-out (which a soft opt-in cannot undo)', () => {
    expect(decide({ preference: undefined })).toEqual({
      decision: 'skip',
      reason: 'no marketing consent (neither granted nor soft opt-in)',
    });
    expect(decide({ preference: 'opted-out' })).toEqual({
      decision: 'skip',
      reason: 'the customer unsubscribed from marketing email',
    });
  });

  it('sends surveys unless unsubscribed or suppressed', () => {
    expect(decide({ category: 'survey', preference: undefined })).toEqual({ decision: 'send' });
    expect(decide({ category: 'survey', preference: 'opted-out' })).toMatchObject({ decision: 'skip' });
    expect(decide({ category: 'survey', preference: undefined, suppression: 'complaint' })).toEqual({
      decision: 'skip',
      reason: 'the address is on the suppression list (complaint)',
    });
  });

  it('always sends transactional mail: no consent needed, not suppressed, no quiet hours by default', () => {
    expect(
      decide({ category: 'transactional', preference: 'opted-out', suppression: 'hard-bounce', now: night }),
    ).toEqual({ decision: 'send' });
  });

  it('defers to the end of the quiet hours in the customer’s zone, before looking at caps', () => {
    expect(decide({ now: night, recentMessages: 5 })).toEqual({
      decision: 'defer',
      until: '2026-06-11T06:00:00.000Z',
      reason: 'quiet hours 21:00–08:00 in Europe/Berlin',
    });
    expect(decide({ now: night }, { ...DEFAULT_CONTACT_POLICY, quietHours: undefined })).toEqual({ decision: 'send' });
  });

  it('skips when the category’s cap is reached across journeys', () => {
    expect(decide({ recentMessages: 2 })).toEqual({ decision: 'skip', reason: 'marketing cap reached (2 per 7d)' });
    const policy: ContactPolicy = { caps: { transactional: { max: 10, per: '1d' } } };
    expect(decide({ category: 'transactional', recentMessages: 10 }, policy)).toMatchObject({ decision: 'skip' });
    expect(decide({ category: 'transactional', recentMessages: 9 }, policy)).toEqual({ decision: 'send' });
  });

  it('throttles surveys per customer, but lets a survey’s own reminder through', () => {
    const survey = { category: 'survey' as const, preference: undefined, recentSurveys: 1 };
    expect(decide(survey)).toEqual({ decision: 'skip', reason: 'surveyed recently (survey throttle: 1 per 30d)' });
    expect(decide({ ...survey, surveyOngoing: true })).toEqual({ decision: 'send' });
    expect(decide({ ...survey, recentSurveys: 0 })).toEqual({ decision: 'send' });
  });
});
