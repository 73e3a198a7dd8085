import type { Order } from '../../model/order';

const DAY_MS = 24 * 60 * 60 * 1000;
export const DAYS_PER_WEEK = 7;

/**
 * One customer's orders as of a moment, in the terms scoring needs. BG/NBD counts purchase *days*
 * (several orders on one UTC day are one purchase occasion); RFM's frequency counts orders.
 */
export interface PurchaseHistory {
  orders: number;
  /** x: purchase days after the first. */
  repeatPurchases: number;
  firstOrderAt: string;
  lastOrderAt: string;
  /** tx: weeks from the first to the last purchase. */
  txWeeks: number;
  /** T: weeks from the first purchase to the as-of moment. */
  ageWeeks: number;
  daysSinceLastOrder: number;
  /** Average days between purchase days; null with one purchase day. */
  usualGapDays: number | null;
  total: number;
  averageOrderValue: number;
  currency: string;
}

/** Summarises the orders placed up to `asOf` (later ones are ignored); null when there are none. */
export function purchaseHistory(
  orders: readonly Pick<Order, 'occurredAt' | 'amount' | 'currency'>[],
  asOf: string,
): PurchaseHistory | null {
  const until = Date.parse(asOf);
  const placed = orders
    .map((o) => ({ at: Date.parse(o.occurredAt), amount: o.amount, currency: o.currency }))
    .filter((o) => o.at <= until)
    .sort((p, q) => p.at - q.at);
  if (placed.length === 0) return null;
  const first = placed[0];
  const last = placed[placed.length - 1];
  const days = new Set(placed.map((o) => Math.floor(o.at / DAY_MS))).size;
  const total = placed.reduce((sum, o) => sum + o.amount, 0);
  const spanDays = (last.at - first.at) / DAY_MS;
  return {
    orders: placed.length,
    repeatPurchases: days - 1,
    firstOrderAt: new Date(first.at).toISOString(),
    lastOrderAt: new Date(last.at).toISOString(),
    txWeeks: spanDays / DAYS_PER_WEEK,
    ageWeeks: (until - first.at) / DAY_MS / DAYS_PER_WEEK,
    daysSinceLastOrder: (until - last.at) / DAY_MS,
    usualGapDays: days > 1 ? spanDays / (days - 1) : null,
    total,
    averageOrderValue: total / placed.length,
    currency: last.currency,
  };
}
