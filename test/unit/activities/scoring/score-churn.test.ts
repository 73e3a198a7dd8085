import { PUBLISHED_BG_NBD_PARAMS } from '../../../../activities/scoring/churn-model';
import { scoreChurn } from '../../../../activities/scoring/score-churn';
import { ChurnScore, DEFAULT_CHURN_SETTINGS, type ChurnModel } from '../../../../model/churn';

const model: ChurnModel = {
  asOf: '2026-05-07T00:00:00.000Z',
  customers: 100,
  repeatCustomers: 60,
  rfm: { recencyDays: [10, 30, 60, 90], frequency: [1, 2, 3, 5], monetary: [50, 100, 200, 400] },
  typicalGapDays: 30,
  typicalGapSource: 'base-median',
  bgNbd: { params: PUBLISHED_BG_NBD_PARAMS, source: 'published-default' },
  settings: DEFAULT_CHURN_SETTINGS,
};
const order = (id: string, occurredAt: string, amount: number) => ({
  id,
  customerId: 'c1',
  occurredAt,
  amount,
  currency: 'EUR',
});
const orders = [
  order('o1', '2026-01-01T00:00:00Z', 40),
  order('o2', '2026-01-22T00:00:00Z', 60),
  order('o3', '2026-02-12T00:00:00Z', 50),
  order('later', '2026-06-01T00:00:00Z', 999), // after asOf: ignored
];

describe('scoreChurn', () => {
  it('scores a repeat buyer: history, RFM, P(alive), risk and reasons', () => {
    const score = scoreChurn(model, orders, '2026-05-07T00:00:00Z')!;
    expect(ChurnScore.parse(score)).toEqual(score);
    // x = 2 purchase days after the first, tx = 42 days = 6 weeks, T = 126 days = 18 weeks, 84 days since the last
    expect(score.history).toEqual({
      orders: 3,
      repeatPurchases: 2,
      firstOrderAt: '2026-01-01T00:00:00.000Z',
      lastOrderAt: '2026-02-12T00:00:00.000Z',
      daysSinceLastOrder: 84,
      usualGapDays: 21,
      total: 150,
      averageOrderValue: 50,
      currency: 'EUR',
    });
    // 84 days → 4th recency quintile → R2; 3 orders on the cut 3 → F3; 150 → M3
    expect(score.rfm).toEqual({ r: 2, f: 3, m: 3, code: 'R2F3M3', segment: 'at risk' });
    // P(alive) = 1 / (1 + 0.793/(2.426 + 1) · ((4.414 + 18)/(4.414 + 6))^(0.243 + 2)) = 0.43634
    expect(score.pAlive).toBe(0.4363);
    // 0.6 × 0.564 + 0.25 × 1 (84 days ≥ 3 × 21) + 0.15 × (5 − 2)/4 = 0.3384 + 0.25 + 0.1125 = 0.7009
    expect(score.risk).toBe(0.701);
    expect(score.method).toBe('bg-nbd');
    expect(score.reasons).toEqual([
      'P(alive) 0.44: 2 repeat purchases in 18 weeks since the first',
      'no order for 84 days, usually every 21 days',
      'RFM R2F3M3: at risk',
    ]);
    expect(score.expectedPurchasesNextYear).toBeGreaterThan(0);
    expect(score.clv).toBeGreaterThan(0);
  });

  it('uses the one-purchase rule with the base’s typical gap for a single purchase day', () => {
    const score = scoreChurn(model, [order('o1', '2026-03-08T00:00:00Z', 80)], '2026-05-07T00:00:00Z')!;
    // 60 days since, typical gap 30, k = 3 → (60/30 − 1)/2 = 0.5
    expect(score).toMatchObject({ method: 'one-purchase-rule', risk: 0.5, pAlive: 1, rfm: { code: 'R3F1M2' } });
  });

  it('gives no score without orders (as of the moment)', () => {
    expect(scoreChurn(model, [], '2026-05-07T00:00:00Z')).toBeNull();
    expect(scoreChurn(model, [order('later', '2026-06-01T00:00:00Z', 5)], '2026-05-07T00:00:00Z')).toBeNull();
  });

  it('CLV is the discounted margin of the expected purchases: more expected purchases, more value', () => {
    const recent = scoreChurn(model, orders.slice(0, 3), '2026-02-13T00:00:00Z')!;
    const lapsed = scoreChurn(model, orders.slice(0, 3), '2026-12-13T00:00:00Z')!;
    expect(recent.clv).toBeGreaterThan(lapsed.clv);
    expect(recent.risk).toBeLessThan(lapsed.risk);
  });
});
