import { Duration, durationMs } from '../../../model/duration';

describe('Duration', () => {
  it.each(['30s', '15m', '3d', '2 days', '1.5h', '14d'])('accepts %p and keeps the original string', (value) => {
    expect(Duration.parse(value)).toBe(value);
  });

  it.each([
    ['zero', '0s'],
    ['negative', '-5m'],
    ['not a duration', 'soon'],
    ['unit only', 'd'],
    ['longer than ms parses (101 chars)', '1'.repeat(101)],
  ])('rejects a %s value (%p) with the positive-duration message', (_, value) => {
    const result = Duration.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/must be a positive duration/);
  });

  it('rejects a number (journeys must write a unit-bearing string)', () => {
    const result = Duration.safeParse(3000);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].code).toBe('invalid_type');
  });

  // `.min(1)` does not abort in zod 4, so the refine must not call `ms('')`, which throws.
  it('rejects the empty string with a validation issue instead of throwing', () => {
    const result = Duration.safeParse('');
    expect(result.success).toBe(false);
  });
});

describe('durationMs', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 15 * 60_000],
    ['3d', 3 * 86_400_000],
    ['2 days', 2 * 86_400_000],
    ['1.5h', 90 * 60_000],
  ])('turns %p into %d ms', (value, expected) => {
    expect(durationMs(value)).toBe(expected);
  });
});
