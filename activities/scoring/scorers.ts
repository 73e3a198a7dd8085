import type { SCORERS } from '../../model/journey';

export type ScorerName = (typeof SCORERS)[number];
export interface Order {
  occurredAt: string;
  amount: number;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * The scorers a score step can name that are pure functions of a customer's orders as of a moment.
 * churn-risk also needs the base model (score.ts, score-churn.ts).
 */
export const SCORER_FUNCTIONS: Record<
  Exclude<ScorerName, 'churn-risk'>,
  (orders: Order[], asOf: number) => number | null
> = {
  /** Whole days since the last order; null when there is none. */
  'days-since-last-order': (orders, asOf) =>
    orders.length ? Math.floor((asOf - Math.max(...orders.map((o) => Date.parse(o.occurredAt)))) / DAY) : null,
  'order-count': (orders) => orders.length,
  /** Sum of order amounts (in the orders' currency; mixed currencies are not converted). */
  'lifetime-value': (orders) => Math.round(orders.reduce((sum, o) => sum + o.amount, 0) * 100) / 100,
};
