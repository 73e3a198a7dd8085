import { SCORER_FUNCTIONS } from '../../../../activities/scoring/scorers';

const asOf = Date.parse('2026-11-23T12:00:00Z');
const orders = [
  { occurredAt: '2026-08-01T09:00:00Z', amount: 19.99 },
  { occurredAt: '2026-10-20T18:30:00Z', amount: 45.5 },
  { occurredAt: '2026-09-10T10:00:00Z', amount: 5.01 },
];

describe('scorers', () => {
  it('days-since-last-order counts whole days from the latest order, null without orders', () => {
    expect(SCORER_FUNCTIONS['days-since-last-order'](orders, asOf)).toBe(33); // 20 Oct 18:30 → 23 Nov 12:00
    expect(SCORER_FUNCTIONS['days-since-last-order']([], asOf)).toBeNull();
  });

  it('order-count and lifetime-value', () => {
    expect(SCORER_FUNCTIONS['order-count'](orders, asOf)).toBe(3);
    expect(SCORER_FUNCTIONS['lifetime-value'](orders, asOf)).toBe(70.5);
    expect(SCORER_FUNCTIONS['lifetime-value']([], asOf)).toBe(0);
  });
});
