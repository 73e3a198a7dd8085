import { DateTime } from 'luxon';
import type { WaitStep } from '../../model/journey';
import { durationMs } from '../../model/duration';
import { readPath } from '../../model/path';
import type { RunContext, StepResult } from '../run-context';

/** A wait: a duration, until a local time of day in the customer's time zone, or until a date in the run's data. */
export async function runWait(ctx: RunContext, step: WaitStep, fallthrough: StepResult): Promise<StepResult> {
  const now = Date.now();
  const until = wakeTime(ctx, step, now);
  if (until === undefined) {
    ctx.record({ step: step.id, kind: 'skipped', detail: `no date at ${step.untilDate}: not waiting` });
    return step.next ?? fallthrough;
  }
  ctx.record({
    step: step.id,
    kind: 'waiting',
    detail: `waiting until ${new Date(until).toISOString()}${step.untilLocalTime ? ` (${step.untilLocalTime} ${ctx.input.customer.timeZone})` : ''}`,
  });
  await ctx.sleep(until - now);
  return step.next ?? fallthrough;
}

function wakeTime(ctx: RunContext, step: WaitStep, now: number): number | undefined {
  if (step.duration) return now + durationMs(step.duration);
  if (step.untilLocalTime) return nextLocalTime(now, step.untilLocalTime, ctx.input.customer.timeZone);
  const value = readPath(ctx.conditionContext, step.untilDate!);
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : NaN;
  return Number.isNaN(date) ? undefined : Math.max(date, now);
}

/** The next moment the wall clock in `zone` shows `hhmm` (later today, or tomorrow), correct across DST. */
export function nextLocalTime(now: number, hhmm: string, zone: string): number {
  const [hour, minute] = hhmm.split(':').map(Number);
  const local = DateTime.fromMillis(now, { zone });
  let target = local.set({ hour, minute, second: 0, millisecond: 0 });
  if (target.toMillis() <= now) target = local.plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 });
  return target.toMillis();
}
