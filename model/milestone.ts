import { z } from 'zod';
import { CurrencyCode, type Order } from './order';

/**
 * Customer milestones that can start a thank-you: the n-th order, lifetime value passing a threshold, and
 * yearly anniversaries. Pure functions over a customer's order history; the router and the daily scan turn
 * what they find into `milestone.reached` events with deterministic ids (docs/gifts.md "Triggers").
 */

export const MilestoneKind = z.enum(['order-count', 'lifetime-value', 'anniversary']);
export type MilestoneKind = z.infer<typeof MilestoneKind>;

/** A lifetime-value threshold: the sum of a customer's orders in this currency (no conversion between currencies). */
export const LifetimeValueThreshold = z.object({ currency: CurrencyCode, amount: z.number().positive() }).strict();
export type LifetimeValueThreshold = z.infer<typeof LifetimeValueThreshold>;

export const MilestoneRules = z
  .object({
    /** Order counts that are milestones, e.g. [5, 10]: the order that makes the history this long reaches it. */
    orderCounts: z.array(z.number().int().positive()),
    lifetimeValues: z.array(LifetimeValueThreshold),
    /** How many days after an anniversary the daily check still reports it (a missed day catches up). */
    anniversaryGraceDays: z.number().int().nonnegative(),
  })
  .strict();
export type MilestoneRules = z.infer<typeof MilestoneRules>;

export const DEFAULT_MILESTONE_RULES: MilestoneRules = {
  orderCounts: [5],
  lifetimeValues: [{ currency: 'EUR', amount: 1000 }],
  anniversaryGraceDays: 7,
};

/** The data of a `milestone.reached` event the product sends (what a journey's trigger and templates read). */
export const MilestoneData = z
  .object({
    /** The name journeys trigger on, e.g. fifth-order, lifetime-value-1000, anniversary-2. */
    milestone: z.string().min(1),
    kind: MilestoneKind,
    /** order-count: the count; lifetime-value: the threshold; anniversary: the number of years. */
    threshold: z.number(),
    /** The order that reached it (order-count, lifetime-value). */
    orderId: z.string().optional(),
    orderCount: z.number().int().optional(),
    lifetimeValue: z.number().optional(),
    currency: z.string().optional(),
    /** anniversary: the date counted from (first order, else when the customer was created). */
    since: z.string().optional(),
  })
  .strict();
export type MilestoneData = z.infer<typeof MilestoneData>;

const ORDINALS = [
  '',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
];
const TENS: Record<number, string> = {
  30: 'thirtieth',
  40: 'fortieth',
  50: 'fiftieth',
  60: 'sixtieth',
  70: 'seventieth',
  80: 'eightieth',
  90: 'ninetieth',
  100: 'hundredth',
};

/** fifth-order, tenth-order, fiftieth-order; counts without a short English word: 25th-order. */
export function orderCountMilestone(count: number): string {
  const word = ORDINALS[count] ?? TENS[count];
  if (word) return `${word}-order`;
  const mod100 = count % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][count % 10] ?? 'th');
  return `${count}${suffix}-order`;
}

/** lifetime-value-1000 (the threshold's amount; the currency is in the event's data). */
export const lifetimeValueMilestone = (amount: number): string => `lifetime-value-${amount}`;

export const anniversaryMilestone = (years: number): string => `anniversary-${years}`;

/** The deterministic event id: a repeat (a replayed order, the next daily scan) starts nothing twice. */
export const milestoneEventId = (customerId: string, milestone: string): string =>
  `milestone:${customerId}:${milestone}`;

const sumIn = (orders: Order[], currency: string) =>
  orders.filter((o) => o.currency === currency).reduce((sum, o) => sum + o.amount, 0);

/**
 * The milestones `order` reaches: those the history passes with it and not without it. The history is the
 * customer's whole recorded history including `order`; order in time does not matter, so an imported history of
 * seven orders reaches no fifth-order with the eighth.
 */
export function milestonesReachedBy(rules: MilestoneRules, order: Order, history: Order[]): MilestoneData[] {
  const without = history.filter((o) => o.id !== order.id);
  const withOrder = [...without, order];
  const reached: MilestoneData[] = [];
  for (const count of [...new Set(rules.orderCounts)].sort((a, b) => a - b)) {
    if (without.length < count && withOrder.length >= count) {
      reached.push({
        milestone: orderCountMilestone(count),
        kind: 'order-count',
        threshold: count,
        orderId: order.id,
        orderCount: withOrder.length,
      });
    }
  }
  for (const { currency, amount } of rules.lifetimeValues) {
    if (order.currency !== currency) continue;
    const before = sumIn(without, currency);
    const after = sumIn(withOrder, currency);
    // Cents: float sums of prices such as 0.1 + 0.2 must not miss an exact threshold.
    if (Math.round(before * 100) < Math.round(amount * 100) && Math.round(after * 100) >= Math.round(amount * 100)) {
      reached.push({
        milestone: lifetimeValueMilestone(amount),
        kind: 'lifetime-value',
        threshold: amount,
        orderId: order.id,
        orderCount: withOrder.length,
        lifetimeValue: Math.round(after * 100) / 100,
        currency,
      });
    }
  }
  return reached;
}

/**
 * The anniversary a daily check reports on `asOf`: the latest whole year since `since` (calendar date in UTC;
 * 29 February counts on 28 February in other years) if it was at most `graceDays` days ago, else none.
 */
export function anniversaryDue(since: string, asOf: string, graceDays: number): MilestoneData | undefined {
  const start = new Date(since);
  const now = new Date(asOf);
  if (Number.isNaN(start.getTime()) || Number.isNaN(now.getTime())) return undefined;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let years = now.getUTCFullYear() - start.getUTCFullYear();
  let date = anniversaryDate(start, years);
  if (date > today) date = anniversaryDate(start, --years);
  if (years < 1) return undefined;
  if (today - date > graceDays * 86_400_000) return undefined;
  return { milestone: anniversaryMilestone(years), kind: 'anniversary', threshold: years, since: start.toISOString() };
}

function anniversaryDate(start: Date, years: number): number {
  const year = start.getUTCFullYear() + years;
  const month = start.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(start.getUTCDate(), lastDay));
}

/** MILESTONE_ORDER_COUNTS: "5,10" → [5, 10]; "off" → none. */
export function parseOrderCounts(text: string): number[] {
  if (text.trim() === 'off') return [];
  return text.split(',').map((part) => {
    const value = part.trim();
    if (!/^\d{1,6}$/.test(value) || Number(value) < 1) {
      throw new Error(`"${value}" is not an order count; write whole numbers from 1, e.g. 5,10 (or off)`);
    }
    return Number(value);
  });
}

/** MILESTONE_LIFETIME_VALUES: "EUR:1000,USD:1200" → thresholds; "off" → none. */
export function parseLifetimeValues(text: string): LifetimeValueThreshold[] {
  if (text.trim() === 'off') return [];
  return text.split(',').map((part) => {
    const match = /^([A-Z]{3}):(\d+(?:\.\d{1,2})?)$/.exec(part.trim());
    if (!match || Number(match[2]) <= 0) {
      throw new Error(
        `"${part.trim()}" is not a threshold; write CURRENCY:AMOUNT pairs, e.g. EUR:1000,USD:1200 (or off)`,
      );
    }
    return { currency: match[1], amount: Number(match[2]) };
  });
}
