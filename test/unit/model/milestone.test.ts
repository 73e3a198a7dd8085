import {
  anniversaryDue,
  milestoneEventId,
  milestonesReachedBy,
  orderCountMilestone,
  parseLifetimeValues,
  parseOrderCounts,
  type MilestoneRules,
} from '../../../model/milestone';
import type { Order } from '../../../model/order';

const rules: MilestoneRules = {
  orderCounts: [5, 10],
  lifetimeValues: [
    { currency: 'EUR', amount: 1000 },
    { currency: 'USD', amount: 1200 },
  ],
  anniversaryGraceDays: 7,
};

const order = (n: number, amount = 10, currency = 'EUR'): Order => ({
  id: `o${n}`,
  customerId: 'c1',
  occurredAt: new Date(Date.UTC(2026, 0, n)).toISOString(),
  amount,
  currency,
});
const history = (count: number, amount = 10) => Array.from({ length: count }, (_, i) => order(i + 1, amount));

describe('milestonesReachedBy', () => {
  it('the fifth order reaches fifth-order; the fourth and sixth reach nothing', () => {
    expect(milestonesReachedBy(rules, order(4), history(4))).toEqual([]);
    expect(milestonesReachedBy(rules, order(5), history(5))).toEqual([
      { milestone: 'fifth-order', kind: 'order-count', threshold: 5, orderId: 'o5', orderCount: 5 },
    ]);
    expect(milestonesReachedBy(rules, order(6), history(6))).toEqual([]);
    expect(milestonesReachedBy(rules, order(10), history(10)).map((m) => m.milestone)).toEqual(['tenth-order']);
  });

  it('counts the order once whether or not the history already holds it', () => {
    expect(milestonesReachedBy(rules, order(5), history(4)).map((m) => m.milestone)).toEqual(['fifth-order']);
  });

  it('an imported history longer than the count reaches nothing with the next order', () => {
    expect(milestonesReachedBy(rules, order(8), history(8))).toEqual([]);
  });

  it('lifetime value: the order that passes the threshold in its currency, summed exactly in cents', () => {
    // 3 × 333.33 = 999.99; the 4th order of 0.01 makes exactly 1000.00
    const orders = [order(1, 333.33), order(2, 333.33), order(3, 333.33)];
    expect(milestonesReachedBy(rules, orders[2], orders)).toEqual([]);
    const passing = order(4, 0.01);
    expect(milestonesReachedBy(rules, passing, [...orders, passing])).toEqual([
      {
        milestone: 'lifetime-value-1000',
        kind: 'lifetime-value',
        threshold: 1000,
        orderId: 'o4',
        orderCount: 4,
        lifetimeValue: 1000,
        currency: 'EUR',
      },
    ]);
    // already past: the next order reaches nothing
    const next = order(5, 50);
    expect(milestonesReachedBy(rules, next, [...orders, passing, next]).map((m) => m.milestone)).toEqual([
      'fifth-order',
    ]);
  });

  it('does not add other currencies to a threshold', () => {
    const orders = [order(1, 900, 'EUR'), order(2, 900, 'USD')];
    expect(milestonesReachedBy(rules, orders[1], orders)).toEqual([]);
    const usd = order(3, 300, 'USD');
    expect(milestonesReachedBy(rules, usd, [...orders, usd]).map((m) => m.milestone)).toEqual(['lifetime-value-1200']);
  });
});

describe('anniversaryDue', () => {
  it('reports the latest whole year within the grace days, and nothing before the first year or after the grace', () => {
    const since = '2024-03-10T15:00:00Z';
    expect(anniversaryDue(since, '2025-03-09T23:00:00Z', 7)).toBeUndefined();
    expect(anniversaryDue(since, '2025-03-10T00:00:00Z', 7)).toEqual({
      milestone: 'anniversary-1',
      kind: 'anniversary',
      threshold: 1,
      since: '2024-03-10T15:00:00.000Z',
    });
    expect(anniversaryDue(since, '2025-03-17T12:00:00Z', 7)?.milestone).toBe('anniversary-1');
    expect(anniversaryDue(since, '2025-03-18T00:00:00Z', 7)).toBeUndefined();
    expect(anniversaryDue(since, '2026-03-11T08:00:00Z', 7)?.milestone).toBe('anniversary-2');
  });

  it('a 29 February start has its anniversary on 28 February in other years', () => {
    expect(anniversaryDue('2024-02-29T10:00:00Z', '2025-02-28T06:00:00Z', 0)?.milestone).toBe('anniversary-1');
    expect(anniversaryDue('2024-02-29T10:00:00Z', '2028-02-29T06:00:00Z', 0)?.milestone).toBe('anniversary-4');
  });
});

describe('names and configuration', () => {
  it('names order counts as ordinals', () => {
    expect([5, 10, 12, 21, 25, 50, 111, 122].map(orderCountMilestone)).toEqual([
      'fifth-order',
      'tenth-order',
      'twelfth-order',
      '21st-order',
      '25th-order',
      'fiftieth-order',
      '111th-order',
      '122nd-order',
    ]);
  });

  it('event ids are deterministic per customer and milestone', () => {
    expect(milestoneEventId('c-42', 'fifth-order')).toBe('milestone:c-42:fifth-order');
  });

  it('parses MILESTONE_ORDER_COUNTS and MILESTONE_LIFETIME_VALUES, and says how to fix bad text', () => {
    expect(parseOrderCounts('5, 10')).toEqual([5, 10]);
    expect(parseOrderCounts('off')).toEqual([]);
    expect(() => parseOrderCounts('5,x')).toThrow('"x" is not an order count; write whole numbers from 1');
    expect(() => parseOrderCounts('0')).toThrow('"0" is not an order count');
    expect(parseLifetimeValues('EUR:1000,USD:1200.50')).toEqual([
      { currency: 'EUR', amount: 1000 },
      { currency: 'USD', amount: 1200.5 },
    ]);
    expect(() => parseLifetimeValues('1000')).toThrow('"1000" is not a threshold; write CURRENCY:AMOUNT pairs');
  });
});
