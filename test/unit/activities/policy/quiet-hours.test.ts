import { quietHoursEnd } from '../../../../activities/policy/quiet-hours';

const at = (iso: string) => new Date(iso);
const end = (now: string, zone: string, start = '21:00', stop = '08:00') =>
  quietHoursEnd(at(now), zone, { start, end: stop })?.toISOString();

describe('quietHoursEnd', () => {
  it('is undefined outside the quiet hours', () => {
    expect(end('2026-06-10T12:00:00Z', 'Europe/Berlin')).toBeUndefined(); // 14:00 in Berlin
    expect(end('2026-06-10T18:59:00Z', 'Europe/Berlin')).toBeUndefined(); // 20:59
    expect(end('2026-06-10T06:00:00Z', 'Europe/Berlin')).toBeUndefined(); // 08:00 sharp: the window is open
  });

  it('defers an evening send to the next morning, and an early one to the same morning', () => {
    expect(end('2026-06-10T19:00:00Z', 'Europe/Berlin')).toBe('2026-06-11T06:00:00.000Z'); // 21:00 → 08:00 CEST
    expect(end('2026-06-10T03:30:00Z', 'Europe/Berlin')).toBe('2026-06-10T06:00:00.000Z'); // 05:30 → 08:00
  });

  it('uses the customer’s zone, not the server’s', () => {
    // 02:00 UTC is 22:00 the day before in New York (EDT) and 04:00 in Berlin
    expect(end('2026-06-10T02:00:00Z', 'America/New_York')).toBe('2026-06-10T12:00:00.000Z');
    expect(end('2026-06-10T02:00:00Z', 'Europe/Berlin')).toBe('2026-06-10T06:00:00.000Z');
  });

  describe('across daylight-saving changes (Europe/Berlin)', () => {
    it('spring forward (29 March 2026, 02:00 → 03:00): the night before ends at 08:00 CEST, a 9-hour wait', () => {
      // Saturday 22:00 CET = 21:00Z; Sunday 08:00 CEST = 06:00Z
      expect(end('2026-03-28T21:00:00Z', 'Europe/Berlin')).toBe('2026-03-29T06:00:00.000Z');
      // after the change, Sunday 01:30 CET (00:30Z) and 03:30 CEST (01:30Z) both wait for 08:00 CEST
      expect(end('2026-03-29T00:30:00Z', 'Europe/Berlin')).toBe('2026-03-29T06:00:00.000Z');
      expect(end('2026-03-29T01:30:00Z', 'Europe/Berlin')).toBe('2026-03-29T06:00:00.000Z');
      // the evening before the change is still on CET: 20:30 CET is outside the window
      expect(end('2026-03-28T19:30:00Z', 'Europe/Berlin')).toBeUndefined();
    });

    it('fall back (25 October 2026, 03:00 → 02:00): the night before ends at 08:00 CET, an 11-hour wait', () => {
      // Saturday 22:00 CEST = 20:00Z; Sunday 08:00 CET = 07:00Z
      expect(end('2026-10-24T20:00:00Z', 'Europe/Berlin')).toBe('2026-10-25T07:00:00.000Z');
      // both 02:30s of that night (00:30Z CEST and 01:30Z CET) wait for 08:00 CET
      expect(end('2026-10-25T00:30:00Z', 'Europe/Berlin')).toBe('2026-10-25T07:00:00.000Z');
      expect(end('2026-10-25T01:30:00Z', 'Europe/Berlin')).toBe('2026-10-25T07:00:00.000Z');
      // the following evening, on CET: 21:00 CET = 20:00Z → Monday 08:00 CET = 07:00Z
      expect(end('2026-10-25T20:00:00Z', 'Europe/Berlin')).toBe('2026-10-26T07:00:00.000Z');
    });

    it('an end time inside the skipped hour moves forward by the gap, as clocks do', () => {
      // quiet 22:00–02:30; 02:30 does not exist on 29 March 2026 in Berlin: the window ends at 03:30 CEST (01:30Z)
      expect(end('2026-03-28T22:00:00Z', 'Europe/Berlin', '22:00', '02:30')).toBe('2026-03-29T01:30:00.000Z');
    });

    it('also in the US (8 March 2026, New York)', () => {
      // Saturday 21:30 EST = 02:30Z Sunday; Sunday 08:00 EDT = 12:00Z
      expect(end('2026-03-08T02:30:00Z', 'America/New_York')).toBe('2026-03-08T12:00:00.000Z');
    });
  });

  it('handles windows within one day (e.g. 12:00–14:00 lunch quiet)', () => {
    expect(end('2026-06-10T11:00:00Z', 'UTC', '12:00', '14:00')).toBeUndefined();
    expect(end('2026-06-10T12:30:00Z', 'UTC', '12:00', '14:00')).toBe('2026-06-10T14:00:00.000Z');
  });
});
