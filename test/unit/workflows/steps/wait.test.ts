import { nextLocalTime } from '../../../../workflows/steps/wait';

const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe('nextLocalTime', () => {
  it('takes today when the time is still ahead, else tomorrow', () => {
    expect(iso(nextLocalTime(at('2026-06-10T05:00:00Z'), '09:00', 'Europe/Berlin'))).toBe('2026-06-10T07:00:00.000Z');
    expect(iso(nextLocalTime(at('2026-06-10T08:00:00Z'), '09:00', 'Europe/Berlin'))).toBe('2026-06-11T07:00:00.000Z');
  });

  it('is 09:00 local on both sides of the spring-forward change (Berlin, 29 March 2026)', () => {
    // Saturday evening, CET (UTC+1) → Sunday 09:00 is already CEST (UTC+2).
    expect(iso(nextLocalTime(at('2026-03-28T20:00:00Z'), '09:00', 'Europe/Berlin'))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(nextLocalTime(at('2026-03-27T20:00:00Z'), '09:00', 'Europe/Berlin'))).toBe('2026-03-28T08:00:00.000Z');
  });

  it('is 09:00 local across the fall-back change (New York, 1 November 2026)', () => {
    // Saturday evening EDT (UTC-4) → Sunday 09:00 is EST (UTC-5).
    expect(iso(nextLocalTime(at('2026-11-01T00:00:00Z'), '09:00', 'America/New_York'))).toBe(
      '2026-11-01T14:00:00.000Z',
    );
  });

  it('works in UTC and in zones with half-hour offsets', () => {
    expect(iso(nextLocalTime(at('2026-01-01T10:00:00Z'), '08:30', 'UTC'))).toBe('2026-01-02T08:30:00.000Z');
    expect(iso(nextLocalTime(at('2026-01-01T00:00:00Z'), '09:00', 'Asia/Kolkata'))).toBe('2026-01-01T03:30:00.000Z');
  });
});
