import { DateTime } from 'luxon';
import type { QuietHours } from '../../model/contact-policy';

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * When the quiet hours around `now` end in `timeZone`, or undefined when `now` is outside them.
 * Computed on the local calendar (luxon), so a night that is 9 or 11 hours long because the clocks
 * change still ends at the configured local time; an end inside a skipped hour moves forward by the
 * gap (02:30 on a spring-forward night becomes 03:30), as java.time and cron do.
 */
export function quietHoursEnd(now: Date, timeZone: string, hours: Pick<QuietHours, 'start' | 'end'>): Date | undefined {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const spansMidnight = start > end;
  const quiet = spansMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!quiet) return undefined;
  const day = spansMidnight && minute >= start ? local.plus({ days: 1 }) : local;
  return day.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 }).toJSDate();
}
