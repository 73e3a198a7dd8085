import { DateTime } from 'luxon';
import { z } from 'zod';

/** Calendar periods, in UTC: what budgets are booked on and what a customer is enrolled once per. */
export const PeriodUnit = z.enum(['day', 'week', 'month', 'quarter', 'year']);
export type PeriodUnit = z.infer<typeof PeriodUnit>;

const FORMATS: Record<PeriodUnit, string> = {
  day: 'yyyy-MM-dd',
  week: "kkkk-'W'WW", // ISO week: 2026-W48; 1 January 2027 is in 2026-W53
  month: 'yyyy-MM',
  quarter: "yyyy-'Q'q",
  year: 'yyyy',
};

/** The key of the period a moment falls in (UTC): 2026-11-23, 2026-W48, 2026-11, 2026-Q4 or 2026. */
export function periodKey(at: string | Date, unit: PeriodUnit): string {
  const time =
    typeof at === 'string' ? DateTime.fromISO(at, { zone: 'utc' }) : DateTime.fromJSDate(at, { zone: 'utc' });
  if (!time.isValid) throw new Error(`"${String(at)}" is not an ISO 8601 time`);
  return time.toFormat(FORMATS[unit]);
}
