import type { ChurnScore, RfmScore } from '../../model/churn';

/** Weights of the three parts of a repeat buyer's risk (docs/churn.md explains the choice). */
export const RISK_WEIGHTS = { dropout: 0.6, overdue: 0.25, recency: 0.15 } as const;

/**
 * How overdue a purchase is, 0..1: nothing up to the usual gap, rising linearly to 1 at k × the gap.
 */
export function overdue(daysSince: number, gapDays: number, k: number): number {
  return Math.min(1, Math.max(0, (daysSince / gapDays - 1) / (k - 1)));
}

export interface ChurnRiskInput {
  orders: number;
  daysSinceLastOrder: number;
  /** BG/NBD's x and the customer's own average gap (null with one purchase day). */
  repeatPurchases: number;
  usualGapDays: number | null;
  ageWeeks: number;
  pAlive: number;
  rfm: RfmScore;
  /** The base's median gap, for one-purchase customers. */
  typicalGapDays: number;
  /** k of the overdue ramp. */
  gapMultiple: number;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The churn risk in 0..1 and the sentences behind it, weightiest first.
 * - Repeat buyers: 0.6 × (1 − P(alive)) + 0.25 × overdue(days since, own gap) + 0.15 × (5 − R) / 4.
 * - One purchase day (P(alive) is 1 by the model and says nothing): overdue(days since, the base's median gap).
 */
export function churnRisk(input: ChurnRiskInput): Pick<ChurnScore, 'risk' | 'reasons' | 'method' | 'components'> {
  const days = Math.floor(input.daysSinceLastOrder);
  const rfmReason = `RFM ${input.rfm.code}: ${input.rfm.segment}`;
  if (input.usualGapDays === null || input.repeatPurchases === 0) {
    const gap = input.typicalGapDays;
    const risk = round3(overdue(input.daysSinceLastOrder, gap, input.gapMultiple));
    return {
      risk,
      method: 'one-purchase-rule',
      components: { overdue: risk },
      reasons: [
        `${input.orders === 1 ? 'one purchase only' : `${input.orders} orders, all on one day`}, ${plural(days, 'day')} ago; customers here usually buy again within ${Math.round(gap)} days, ` +
          `so the risk rises from ${Math.round(gap)} days and is full at ${Math.round(input.gapMultiple * gap)}`,
        rfmReason,
      ],
    };
  }
  const gap = input.usualGapDays;
  const components = {
    dropout: round3(1 - input.pAlive),
    overdue: round3(overdue(input.daysSinceLastOrder, gap, input.gapMultiple)),
    recency: round3((5 - input.rfm.r) / 4),
  };
  const risk = round3(
    RISK_WEIGHTS.dropout * components.dropout +
      RISK_WEIGHTS.overdue * components.overdue +
      RISK_WEIGHTS.recency * components.recency,
  );
  const usually = `usually every ${plural(Math.round(gap), 'day')}`;
  const parts = [
    {
      weight: RISK_WEIGHTS.dropout * components.dropout,
      text:
        `P(alive) ${input.pAlive.toFixed(2)}: ${plural(input.repeatPurchases, 'repeat purchase')} ` +
        `in ${Math.round(input.ageWeeks)} weeks since the first`,
    },
    {
      weight: RISK_WEIGHTS.overdue * components.overdue,
      text:
        days > gap
          ? `no order for ${plural(days, 'day')}, ${usually}`
          : `last order ${plural(days, 'day')} ago, ${usually}`,
    },
    { weight: RISK_WEIGHTS.recency * components.recency, text: rfmReason },
  ];
  // stable sort: on equal weight the order above (model, habit, RFM) stays
  const reasons = parts.sort((p, q) => q.weight - p.weight).map((p) => p.text);
  return { risk, method: 'bg-nbd', components, reasons };
}
