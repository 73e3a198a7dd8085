import { churnRisk, overdue } from '../../../../activities/scoring/churn-risk';

const rfm = (r: number, f: number, m: number, segment: string) => ({ r, f, m, code: `R${r}F${f}M${m}`, segment });

describe('overdue ramp', () => {
  it('is 0 up to the gap, rises linearly, and is 1 from k × the gap', () => {
    expect(overdue(20, 30, 3)).toBe(0);
    expect(overdue(30, 30, 3)).toBe(0);
    expect(overdue(60, 30, 3)).toBe(0.5); // (60/30 − 1) / (3 − 1)
    expect(overdue(90, 30, 3)).toBe(1);
    expect(overdue(400, 30, 3)).toBe(1);
  });
});

describe('churn risk of a repeat buyer: 0.6 × (1 − P(alive)) + 0.25 × overdue + 0.15 × (5 − R)/4', () => {
  it('a big spender gone quiet: mostly the model, then the habit, then RFM', () => {
    const result = churnRisk({
      orders: 5,
      daysSinceLastOrder: 94,
      repeatPurchases: 4,
      usualGapDays: 21,
      ageWeeks: 40,
      pAlive: 0.31,
      rfm: rfm(1, 4, 5, 'big spender gone quiet'),
      typicalGapDays: 30,
      gapMultiple: 3,
    });
    // dropout 0.69, overdue (94/21 − 1)/2 = 1.74 → 1, recency (5 − 1)/4 = 1 → 0.414 + 0.25 + 0.15 = 0.814
    expect(result).toEqual({
      risk: 0.814,
      method: 'bg-nbd',
      components: { dropout: 0.69, overdue: 1, recency: 1 },
      reasons: [
        'P(alive) 0.31: 4 repeat purchases in 40 weeks since the first',
        'no order for 94 days, usually every 21 days',
        'RFM R1F4M5: big spender gone quiet',
      ],
    });
  });

  it('a likely-alive customer past their habit: the habit leads the reasons', () => {
    const result = churnRisk({
      orders: 3,
      daysSinceLastOrder: 60.4,
      repeatPurchases: 2,
      usualGapDays: 30,
      ageWeeks: 20,
      pAlive: 0.95,
      rfm: rfm(3, 3, 3, 'needs attention'),
      typicalGapDays: 30,
      gapMultiple: 3,
    });
    // dropout 0.05 → 0.03; overdue (60.4/30 − 1)/2 = 0.507 → 0.12675; recency 0.5 → 0.075; sum 0.23175 → 0.232
    expect(result.risk).toBe(0.232);
    expect(result.reasons).toEqual([
      'no order for 60 days, usually every 30 days',
      'RFM R3F3M3: needs attention',
      'P(alive) 0.95: 2 repeat purchases in 20 weeks since the first',
    ]);
  });

  it('a recent order says so', () => {
    const result = churnRisk({
      orders: 2,
      daysSinceLastOrder: 10,
      repeatPurchases: 1,
      usualGapDays: 30,
      ageWeeks: 6,
      pAlive: 0.9,
      rfm: rfm(5, 2, 2, 'promising'),
      typicalGapDays: 30,
      gapMultiple: 3,
    });
    // 0.6 × 0.1 = 0.06, nothing overdue, R5 → 0
    expect(result.risk).toBe(0.06);
    expect(result.reasons).toContain('last order 10 days ago, usually every 30 days');
  });
});

describe('churn risk of a one-purchase customer (P(alive) = 1 says nothing): the base’s median gap rule', () => {
  const oneTimer = (days: number, orders = 1) =>
    churnRisk({
      orders,
      daysSinceLastOrder: days,
      repeatPurchases: 0,
      usualGapDays: null,
      ageWeeks: days / 7,
      pAlive: 1,
      rfm: rfm(2, 1, 1, 'hibernating'),
      typicalGapDays: 30,
      gapMultiple: 3,
    });

  it('no risk within the typical gap, rising to full at k × the gap', () => {
    expect(oneTimer(25).risk).toBe(0);
    expect(oneTimer(75).risk).toBe(0.75); // (75/30 − 1)/2
    expect(oneTimer(120).risk).toBe(1);
    expect(oneTimer(75)).toMatchObject({ method: 'one-purchase-rule', components: { overdue: 0.75 } });
  });

  it('explains the rule', () => {
    expect(oneTimer(75).reasons).toEqual([
      'one purchase only, 75 days ago; customers here usually buy again within 30 days, so the risk rises from 30 days and is full at 90',
      'RFM R2F1M1: hibernating',
    ]);
    expect(oneTimer(75, 2).reasons[0]).toMatch(/^2 orders, all on one day, 75 days ago/);
  });
});
