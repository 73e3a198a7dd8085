import { bucket } from '../../../model/bucket';

describe('bucket', () => {
  it('is stable for a seed and stays in [0, 1)', () => {
    expect(bucket('win-back/c-1/holdout')).toBe(bucket('win-back/c-1/holdout'));
    for (let i = 0; i < 1000; i++) {
      const value = bucket(`seed-${i}`);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('spreads customers evenly enough for a 10% holdout', () => {
    const n = 20000;
    let holdout = 0;
    for (let i = 0; i < n; i++) if (bucket(`win-back/customer-${i}/holdout`) < 0.1) holdout++;
    // 10% ± 1 point over 20,000 customers (the binomial s.d. is 0.2 points).
    expect(holdout / n).toBeGreaterThan(0.09);
    expect(holdout / n).toBeLessThan(0.11);
  });

  it('matches FNV-1a for a known vector', () => {
    // FNV-1a 32-bit of "a" is 0xe40c292c.
    expect(bucket('a')).toBe(0xe40c292c / 0x100000000);
  });
});
