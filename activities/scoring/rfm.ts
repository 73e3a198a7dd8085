import type { ChurnModel, RfmScore } from '../../model/churn';

type CutPoints = ChurnModel['rfm']['recencyDays'];

/**
 * The quintile (1..5, in ascending order of the value) a value falls in, given the base's 20/40/60/80th
 * percentiles. A value exactly on a cut point belongs to the quintile below it.
 */
export function quintileOf(value: number, cuts: CutPoints): number {
  return 1 + cuts.filter((cut) => value > cut).length;
}

/** Segment names by the usual RFM reading, first match wins. */
const SEGMENTS: { name: string; when: (s: { r: number; f: number; m: number }) => boolean }[] = [
  { name: 'champions', when: ({ r, f, m }) => r >= 4 && f >= 4 && m >= 4 },
  { name: 'loyal', when: ({ r, f }) => r >= 3 && f >= 4 },
  { name: 'big spender gone quiet', when: ({ r, m }) => r <= 2 && m >= 4 },
  { name: 'at risk', when: ({ r, f }) => r <= 2 && f >= 3 },
  { name: 'new', when: ({ r, f }) => r >= 4 && f <= 1 },
  { name: 'promising', when: ({ r }) => r >= 4 },
  { name: 'needs attention', when: ({ r }) => r === 3 },
  { name: 'hibernating', when: () => true },
];

/**
 * RFM scores, 5 = best: R from days since the last order (fewer is better), F from the number of orders,
 * M from total spend; code "R5F4M3".
 */
export function rfmScore(
  history: { daysSinceLastOrder: number; orders: number; total: number },
  cuts: ChurnModel['rfm'],
): RfmScore {
  const r = 6 - quintileOf(history.daysSinceLastOrder, cuts.recencyDays);
  const f = quintileOf(history.orders, cuts.frequency);
  const m = quintileOf(history.total, cuts.monetary);
  const segment = SEGMENTS.find((s) => s.when({ r, f, m }))!.name;
  return { r, f, m, code: `R${r}F${f}M${m}`, segment };
}
