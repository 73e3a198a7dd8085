import { periodKey } from '../../../model/period';
import { churnEventId } from '../../../activities/churn-scan/scan-page';

describe('periodKey: one win-back enrolment per customer and period', () => {
  it.each([
    ['2026-11-23T03:00:00Z', 'month', '2026-11'],
    ['2026-11-23T03:00:00Z', 'week', '2026-W48'],
    ['2026-11-23T03:00:00Z', 'day', '2026-11-23'],
    // ISO weeks: 1 January 2027 is a Friday, so it belongs to the last week of 2026.
    ['2027-01-01T12:00:00Z', 'week', '2026-W53'],
    // UTC, whatever offset the moment is written with.
    ['2026-12-01T00:30:00+01:00', 'month', '2026-11'],
  ] as const)('%s by %s is %s', (at, unit, key) => {
    expect(periodKey(at, unit)).toBe(key);
  });

  it('rejects what is not a time', () => {
    expect(() => periodKey('yesterday', 'day')).toThrow('"yesterday" is not an ISO 8601 time');
  });
});

describe('churnEventId: the event id that makes a rerun start nothing', () => {
  it('names period and customer', () => {
    expect(churnEventId('2026-11', 'c-42')).toBe('churn:2026-11:c-42');
  });

  it('digests a customer id that would not make a valid event id', () => {
    const long = churnEventId('2026-11', 'x'.repeat(250));
    expect(long).toMatch(/^churn:2026-11:sha256:[0-9a-f]{64}$/);
    expect(churnEventId('2026-11', 'kunde-müller')).toMatch(/^churn:2026-11:sha256:[0-9a-f]{64}$/);
    expect(churnEventId('2026-11', 'kunde-müller')).not.toBe(churnEventId('2026-11', 'kunde-muller'));
  });
});
