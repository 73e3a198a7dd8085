/**
 * Customer lifetime value as the discounted margin of the purchases the customer is expected to make:
 * CLV = margin × average order value × Σ_k E[purchases in year k] / (1 + i)^k, over the first `years` years.
 * The expected purchases come from BG/NBD (which already weighs in P(alive)), so a customer who has likely
 * left is worth little however much they once spent. (REFERENCE's margin × r / (1 + i − r) assumes one
 * retention rate r for all years; BG/NBD gives each customer's own expectation instead.)
 */
export function clv(input: {
  /** E[purchases in year 1], E[purchases in year 2], ... */
  expectedPurchasesByYear: readonly number[];
  averageOrderValue: number;
  /** Share of the order amount that is margin, 0..1. */
  margin: number;
  /** Yearly discount rate i. */
  discountRate: number;
}): number {
  const perPurchase = input.margin * input.averageOrderValue;
  const value = input.expectedPurchasesByYear.reduce(
    (sum, purchases, k) => sum + (perPurchase * purchases) / Math.pow(1 + input.discountRate, k + 1),
    0,
  );
  return Math.round(value * 100) / 100;
}

/** Year-by-year expected purchases from a cumulative expectation E[Y(t)] (t in weeks). */
export function purchasesByYear(expectedWithin: (weeks: number) => number, years: number): number[] {
  const cumulative = Array.from({ length: years + 1 }, (_, k) => (k === 0 ? 0 : expectedWithin(52 * k)));
  return cumulative.slice(1).map((value, k) => value - cumulative[k]);
}
