import { clv, purchasesByYear } from '../../../../activities/scoring/clv';

describe('CLV', () => {
  it('is the discounted margin of the expected purchases', () => {
    // margin per purchase 0.3 × 50 = 15; 15 × (1.2/1.1 + 0.8/1.1² + 0.5/1.1³) = 15 × 2.127724 = 31.92
    expect(
      clv({ expectedPurchasesByYear: [1.2, 0.8, 0.5], averageOrderValue: 50, margin: 0.3, discountRate: 0.1 }),
    ).toBe(31.92);
    // no discounting, full margin: 100 × (1 + 1) = 200
    expect(clv({ expectedPurchasesByYear: [1, 1], averageOrderValue: 100, margin: 1, discountRate: 0 })).toBe(200);
    expect(clv({ expectedPurchasesByYear: [0, 0, 0], averageOrderValue: 80, margin: 0.3, discountRate: 0.1 })).toBe(0);
  });

  it('splits a cumulative expectation into years of 52 weeks', () => {
    // E[Y(t)] = 2 purchases per 52 weeks for the first year, then 1 a year
    const within = (weeks: number) => (weeks <= 52 ? (2 * weeks) / 52 : 2 + (weeks - 52) / 52);
    expect(purchasesByYear(within, 3)).toEqual([2, 1, 1]);
  });
});
