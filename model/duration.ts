import ms from 'ms';
import { z } from 'zod';

/**
 * A human duration as journeys write it: "30s", "15m", "3d", "2 days".
 * Kept as the original string (Temporal's sleep understands the same format);
 * `durationMs` turns it into milliseconds where arithmetic is needed.
 */
export const Duration = z
  .string()
  .min(1)
  .refine((value) => {
    if (value.length === 0) return false; // ms('') throws rather than answering
    const parsed = ms(value as ms.StringValue);
    return typeof parsed === 'number' && Number.isFinite(parsed) && parsed > 0;
  }, 'must be a positive duration such as "30s", "15m", "3d" or "2 days"');
export type Duration = z.infer<typeof Duration>;

export function durationMs(value: Duration): number {
  return ms(value as ms.StringValue);
}
