import { quintileOf, rfmScore } from '../../../../activities/scoring/rfm';

// Cut points as percentile_cont gives them for a base of six customers spending 10, 20, 30, 40, 50, 60:
// the p-th percentile sits at position p·(n−1) = 1, 2, 3, 4 → 20, 30, 40, 50.
const monetary: [number, number, number, number] = [20, 30, 40, 50];

describe('RFM', () => {
  it('puts a value in its quintile; a value on a cut point belongs to the quintile below', () => {
    expect([10, 20, 25, 30, 45, 50, 60].map((v) => quintileOf(v, monetary))).toEqual([1, 1, 2, 2, 4, 4, 5]);
  });

  it('scores 5 for the best: fewest days since the last order, most orders, highest spend', () => {
    const cuts = {
      recencyDays: [10, 30, 60, 90] as [number, number, number, number],
      frequency: [1, 2, 3, 5] as [number, number, number, number],
      monetary,
    };
    // 5 days → the first recency quintile → R5; 6 orders → F5; 60 spent → M5
    expect(rfmScore({ daysSinceLastOrder: 5, orders: 6, total: 60 }, cuts)).toEqual({
      r: 5,
      f: 5,
      m: 5,
      code: 'R5F5M5',
      segment: 'champions',
    });
    // 120 days → R1; 4 orders → F4; 55 → M5: spent a lot, gone quiet
    expect(rfmScore({ daysSinceLastOrder: 120, orders: 4, total: 55 }, cuts)).toEqual({
      r: 1,
      f: 4,
      m: 5,
      code: 'R1F4M5',
      segment: 'big spender gone quiet',
    });
    // 45 days → R3; 3 orders (on the cut 3) → F3; 30 (on the cut) → M2
    expect(rfmScore({ daysSinceLastOrder: 45, orders: 3, total: 30 }, cuts)).toEqual({
      r: 3,
      f: 3,
      m: 2,
      code: 'R3F3M2',
      segment: 'needs attention',
    });
    // 95 days, one order of 10 → R1F1M1
    expect(rfmScore({ daysSinceLastOrder: 95, orders: 1, total: 10 }, cuts).segment).toBe('hibernating');
    expect(rfmScore({ daysSinceLastOrder: 2, orders: 1, total: 10 }, cuts).segment).toBe('new');
  });
});
