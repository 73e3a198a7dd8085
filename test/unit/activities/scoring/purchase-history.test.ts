import { purchaseHistory } from '../../../../activities/scoring/purchase-history';

const order = (occurredAt: string, amount: number, currency = 'EUR') => ({ occurredAt, amount, currency });

describe('purchaseHistory', () => {
  it('counts purchase days for BG/NBD and orders for RFM, in weeks and days', () => {
    const history = purchaseHistory(
      [
        order('2026-01-15T18:00:00Z', 30),
        order('2026-01-01T09:00:00Z', 10),
        order('2026-01-01T17:00:00Z', 20), // same UTC day as the first: one purchase occasion
        order('2026-01-29T09:00:00Z', 40, 'USD'),
        order('2026-03-01T00:00:00Z', 99), // after asOf
      ],
      '2026-02-12T09:00:00Z',
    );
    expect(history).toEqual({
      orders: 4,
      repeatPurchases: 2, // 1 Jan, 15 Jan, 29 Jan: two days after the first
      firstOrderAt: '2026-01-01T09:00:00.000Z',
      lastOrderAt: '2026-01-29T09:00:00.000Z',
      txWeeks: 4, // 28 days
      ageWeeks: 6, // 42 days
      daysSinceLastOrder: 14,
      usualGapDays: 14, // 28 days / 2
      total: 100,
      averageOrderValue: 25,
      currency: 'USD', // the latest order's
    });
  });

  it('is null without orders up to the moment; one purchase day has no usual gap', () => {
    expect(purchaseHistory([], '2026-02-12T00:00:00Z')).toBeNull();
    expect(purchaseHistory([order('2026-03-01T00:00:00Z', 5)], '2026-02-12T00:00:00Z')).toBeNull();
    expect(purchaseHistory([order('2026-02-01T00:00:00Z', 5)], '2026-02-12T00:00:00Z')).toMatchObject({
      repeatPurchases: 0,
      usualGapDays: null,
      txWeeks: 0,
    });
  });
});
