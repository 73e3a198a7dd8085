import { z } from 'zod';
import { SURVEY_SCALES, SurveyKind } from './survey';

/**
 * CX metrics from survey answers: NPS, CSAT and CES per group, with n, response rate, a 95% margin of
 * error and a significance flag. Pure arithmetic over score counts (the store aggregates in SQL, so a
 * million answers never come into memory); no IO, so it is unit-tested against hand computations.
 * Definitions: docs/metrics.md.
 */

/** z for a two-sided 95% interval. */
export const Z95 = 1.96;

/** Below this many answers a result is flagged "not significant" unless the caller sets another minimum. */
export const DEFAULT_MIN_N = 30;

/**
 * Below this n the proportion intervals (NPS, CSAT) use the adjusted Wald method instead of the plain Wald
 * one. The plain Wald interval is poor for small samples (it can even be ±0 when every answer is a promoter);
 * adding pseudo-answers fixes that (Agresti & Coull 1998, "Approximate is better than 'exact' for interval
 * estimation of binomial proportions"; for NPS, Rocks 2016, "Interval estimation for the Net Promoter Score",
 * The American Statistician 70(4): add 3/4 to each of the three classes, i.e. 3 to n). n ≥ 30 is the usual
 * rule of thumb for the normal approximation, and it keeps the standard Wald figure that vendors report
 * (P=50, D=20, n=100 → ±15.3) for ordinary samples. The method used is in every result.
 */
export const SMALL_N = 30;

export type IntervalMethod = 'wald' | 'adjusted-wald' | 'normal-mean';

export interface Interval {
  low: number;
  high: number;
}

export interface Estimate {
  /** the point estimate from the answers as given */
  score: number;
  /** half-width of the 95% interval; null when it cannot be estimated (CES with n = 1) */
  marginOfError: number | null;
  /** the 95% interval; for adjusted Wald it is centred on the adjusted estimate, clamped to the scale */
  interval: Interval | null;
  method: IntervalMethod;
}

/**
 * NPS = 100·(P − D)/n. Its 95% margin of error is 1.96·100·√((p + d − (p − d)²)/n), p = P/n, d = D/n
 * (the variance of a promoter=+1/passive=0/detractor=−1 score); for n < SMALL_N the adjusted Wald method
 * adds 3 to n and 0.75 to P and D. Requires n > 0.
 */
export function netPromoterScore(promoters: number, detractors: number, n: number): Estimate {
  if (n <= 0) throw new RangeError('NPS needs at least one answer');
  const score = (100 * (promoters - detractors)) / n;
  const adjusted = n < SMALL_N;
  const [P, D, N] = adjusted ? [promoters + 0.75, detractors + 0.75, n + 3] : [promoters, detractors, n];
  const p = P / N;
  const d = D / N;
  const marginOfError = Z95 * 100 * Math.sqrt((p + d - (p - d) ** 2) / N);
  const centre = 100 * (p - d);
  return {
    score,
    marginOfError,
    interval: clampInterval(centre, marginOfError, -100, 100),
    method: adjusted ? 'adjusted-wald' : 'wald',
  };
}

/**
 * A share in percent (CSAT: satisfied/n) with its 95% margin of error: Wald 1.96·√(p(1 − p)/n) for
 * n ≥ SMALL_N, else adjusted Wald (Agresti–Coull's 95% form: add 2 successes and 2 failures, so
 * p̃ = (x + 2)/(n + 4) over n + 4). Requires n > 0.
 */
export function proportion(successes: number, n: number): Estimate {
  if (n <= 0) throw new RangeError('a share needs at least one answer');
  const score = (100 * successes) / n;
  const adjusted = n < SMALL_N;
  const [x, N] = adjusted ? [successes + 2, n + 4] : [successes, n];
  const p = x / N;
  const marginOfError = Z95 * 100 * Math.sqrt((p * (1 - p)) / N);
  return {
    score,
    marginOfError,
    interval: clampInterval(100 * p, marginOfError, 0, 100),
    method: adjusted ? 'adjusted-wald' : 'wald',
  };
}

/**
 * The mean of counted scores with its 95% margin of error 1.96·s/√n, s the sample standard deviation
 * (n − 1). With n = 1 there is no spread to estimate: the margin is null. Requires n > 0.
 */
export function meanScore(distribution: ReadonlyMap<number, number>, scale: { min: number; max: number }): Estimate {
  let n = 0;
  let sum = 0;
  for (const [score, count] of distribution) {
    n += count;
    sum += score * count;
  }
  if (n <= 0) throw new RangeError('a mean needs at least one answer');
  const mean = sum / n;
  if (n === 1) return { score: mean, marginOfError: null, interval: null, method: 'normal-mean' };
  let squares = 0;
  for (const [score, count] of distribution) squares += count * (score - mean) ** 2;
  const s = Math.sqrt(squares / (n - 1));
  const marginOfError = (Z95 * s) / Math.sqrt(n);
  return {
    score: mean,
    marginOfError,
    interval: clampInterval(mean, marginOfError, scale.min, scale.max),
    method: 'normal-mean',
  };
}

function clampInterval(centre: number, margin: number, min: number, max: number): Interval {
  return { low: Math.max(min, centre - margin), high: Math.min(max, centre + margin) };
}

/** How many answers of one group had this score on this stored scale (one row of the SQL aggregate). */
export interface ScoreCount {
  scaleMin: number;
  scaleMax: number;
  score: number;
  count: number;
}

/** One group as the store returns it: its invitations and the score counts of their answers. */
export interface GroupCounts {
  /** the segment attribute's value; null when the invitation's segment did not have it (or no --by) */
  group: string | null;
  invitations: number;
  answers: ScoreCount[];
}

export interface Metric {
  /** NPS −100..100, CSAT percent 0..100, CES mean on 1..7; null when n = 0 */
  score: number | null;
  /** answers counted */
  n: number;
  /** invitations created in the window */
  invitations: number;
  /** n / invitations in percent; null without invitations */
  responseRate: number | null;
  marginOfError: number | null;
  interval: Interval | null;
  method: IntervalMethod | null;
  /** false when n < minN (then `reason` says so) */
  significant: boolean;
  reason?: string;
  /** NPS: promoters/passives/detractors; CSAT: satisfied/neutral/dissatisfied; CES: easy/neutral/difficult */
  counts: Record<string, number>;
  /** CES: the share of easy answers (5–7) in percent */
  easyShare?: number | null;
  /** answers per score, so anyone can recompute the figures */
  distribution: Record<string, number>;
  /** answers not counted because their stored scale is not the one the metric is defined on */
  excluded: number;
}

/** What a kind counts and how; `classOf` returns undefined for an answer the metric cannot count. */
interface Definition {
  classes: [string, string, string];
  classOf(answer: ScoreCount): 0 | 1 | 2 | undefined;
  digits: number;
}

const onScale = (a: ScoreCount, min: number, max: number) =>
  a.scaleMin === min && a.scaleMax === max && Number.isInteger(a.score) && a.score >= min && a.score <= max;

/**
 * The standard definitions (docs/metrics.md), not a journey's own answer thresholds: those decide how a run
 * follows up an answer, while metrics must compare across journeys.
 */
const DEFINITIONS: Record<SurveyKind, Definition> = {
  // NPS is defined on 0–10: promoters 9–10, passives 7–8, detractors 0–6.
  nps: {
    classes: ['promoters', 'passives', 'detractors'],
    classOf: (a) => (!onScale(a, 0, 10) ? undefined : a.score >= 9 ? 0 : a.score >= 7 ? 1 : 2),
    digits: 1,
  },
  // CSAT is the top-2-box of the stored scale (4–5 on 1–5); the bottom two are dissatisfied. A scale of
  // fewer than five points has no room for the three boxes and is not counted.
  csat: {
    classes: ['satisfied', 'neutral', 'dissatisfied'],
    classOf: (a) =>
      a.scaleMax - a.scaleMin < 4 || !onScale(a, a.scaleMin, a.scaleMax)
        ? undefined
        : a.score >= a.scaleMax - 1
          ? 0
          : a.score > a.scaleMin + 1
            ? 1
            : 2,
    digits: 1,
  },
  // CES 2.0 is a mean on 1–7; easy 5–7, neutral 4, difficult 1–3.
  ces: {
    classes: ['easy', 'neutral', 'difficult'],
    classOf: (a) => (!onScale(a, 1, 7) ? undefined : a.score >= 5 ? 0 : a.score === 4 ? 1 : 2),
    digits: 2,
  },
};

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  // + 0 turns −0 into 0 so JSON never shows "-0"
  return Math.round(value * factor) / factor + 0;
};

/**
 * One metric over one group's counts. Figures are rounded for reporting: NPS and CSAT to 0.1, CES to 0.01,
 * the response rate to 0.1 percentage points.
 */
export function measure(kind: SurveyKind, group: Omit<GroupCounts, 'group'>, minN = DEFAULT_MIN_N): Metric {
  const definition = DEFINITIONS[kind];
  const classCounts = [0, 0, 0];
  const distribution = new Map<number, number>();
  let excluded = 0;
  for (const answer of group.answers) {
    const index = definition.classOf(answer);
    if (index === undefined) {
      excluded += answer.count;
      continue;
    }
    classCounts[index] += answer.count;
    distribution.set(answer.score, (distribution.get(answer.score) ?? 0) + answer.count);
  }
  const n = classCounts[0] + classCounts[1] + classCounts[2];
  const estimate =
    n === 0
      ? undefined
      : kind === 'nps'
        ? netPromoterScore(classCounts[0], classCounts[2], n)
        : kind === 'csat'
          ? proportion(classCounts[0], n)
          : meanScore(distribution, SURVEY_SCALES.ces);
  const digits = definition.digits;
  const significant = n > 0 && n >= minN;
  const metric: Metric = {
    score: estimate ? round(estimate.score, digits) : null,
    n,
    invitations: group.invitations,
    responseRate: group.invitations > 0 ? round((100 * n) / group.invitations, 1) : null,
    marginOfError: estimate?.marginOfError == null ? null : round(estimate.marginOfError, digits),
    interval: estimate?.interval
      ? { low: round(estimate.interval.low, digits), high: round(estimate.interval.high, digits) }
      : null,
    method: estimate?.method ?? null,
    significant,
    ...(significant
      ? {}
      : { reason: n === 0 ? 'no answers' : `n = ${n} is below the minimum of ${minN}: not significant` }),
    counts: Object.fromEntries(definition.classes.map((name, i) => [name, classCounts[i]])),
    ...(kind === 'ces' ? { easyShare: n > 0 ? round((100 * classCounts[0]) / n, 1) : null } : {}),
    distribution: Object.fromEntries([...distribution].sort(([a], [b]) => a - b).map(([s, c]) => [String(s), c])),
    excluded,
  };
  return metric;
}

export interface GroupMetric extends Metric {
  group: string | null;
}

/**
 * Every group's metric and the total over all of them (the counts add up, so the total is measured from
 * the summed counts, not averaged from the groups). Groups are sorted by name, the missing value last.
 */
export function summarize(
  kind: SurveyKind,
  groups: GroupCounts[],
  minN = DEFAULT_MIN_N,
): { groups: GroupMetric[]; total: Metric } {
  const sorted = [...groups].sort((a, b) =>
    a.group === b.group ? 0 : a.group === null ? 1 : b.group === null ? -1 : a.group < b.group ? -1 : 1,
  );
  const total = {
    invitations: groups.reduce((sum, g) => sum + g.invitations, 0),
    answers: groups.flatMap((g) => g.answers),
  };
  return {
    groups: sorted.map((g) => ({ group: g.group, ...measure(kind, g, minN) })),
    total: measure(kind, total, minN),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A date (UTC midnight) or a datetime with a zone (Z or ±hh:mm): a local time would be ambiguous. */
const Instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expected an ISO date (2026-01-31) or a datetime with a zone (2026-01-31T08:00:00Z)',
});

/** The query of `GET /v1/metrics/:kind` (strings, as they come in a URL). */
export const MetricsQuery = z
  .object({
    journey: z.string().min(1).optional(),
    since: Instant.optional(),
    until: Instant.optional(),
    by: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.:-]+$/, 'a segment attribute name (letters, digits, _ . : -)')
      .optional(),
    minN: z.coerce.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();
export type MetricsQuery = z.infer<typeof MetricsQuery>;

export interface MetricsWindow {
  kind: SurveyKind;
  journey: string | null;
  /** invitations created at or after this instant... */
  since: string;
  /** ...and before this one */
  until: string;
  by: string | null;
  minN: number;
}

/**
 * Resolves the window: invitations created in [since, until); until defaults to now, since to 30 days
 * before until. Throws a ZodError (→ 400) when since is not before until.
 */
export function resolveWindow(kind: SurveyKind, query: MetricsQuery, now: Date): MetricsWindow {
  return {
    kind,
    journey: query.journey ?? null,
    ...windowBounds(query, now),
    by: query.by ?? null,
    minN: query.minN ?? DEFAULT_MIN_N,
  };
}

/** [since, until) as ISO strings: until defaults to now, since to 30 days before until; since < until. */
function windowBounds(query: { since?: string; until?: string }, now: Date): { since: string; until: string } {
  const until = query.until ? new Date(query.until) : now;
  const since = query.since ? new Date(query.since) : new Date(until.getTime() - 30 * DAY_MS);
  if (!(since < until)) {
    throw new z.ZodError([
      {
        code: 'custom',
        path: ['since'],
        message: `since (${since.toISOString()}) must be before until (${until.toISOString()})`,
        input: query.since,
      },
    ]);
  }
  return { since: since.toISOString(), until: until.toISOString() };
}

// ---------------------------------------------------------------------------------------------------------
// Win-back lift: the win-back rate of treated runs against the holdout's, from run outcomes.

/** A win-back report groups runs by their scan period (the run key) or by journey version. */
export const WinbackGrouping = z.enum(['period', 'version']);
export type WinbackGrouping = z.infer<typeof WinbackGrouping>;

/** The query of `GET /v1/metrics/winback` (strings, as they come in a URL). */
export const WinbackQuery = z
  .object({
    journey: z.string().min(1).default('win-back'),
    since: Instant.optional(),
    until: Instant.optional(),
    by: WinbackGrouping.optional(),
    minN: z.coerce.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();
export type WinbackQuery = z.infer<typeof WinbackQuery>;

export interface WinbackWindow {
  journey: string;
  /** runs started at or after this instant... */
  since: string;
  /** ...and before this one */
  until: string;
  by: WinbackGrouping | null;
  minN: number;
}

/** The window of a win-back report: runs started in [since, until), defaults as for survey metrics. */
export function resolveWinbackWindow(query: WinbackQuery, now: Date): WinbackWindow {
  return {
    journey: query.journey,
    ...windowBounds(query, now),
    by: query.by ?? null,
    minN: query.minN ?? DEFAULT_MIN_N,
  };
}

/** Completed runs of one arm and how many of them were won back (ended by the goal). */
export interface ArmCounts {
  runs: number;
  wonBack: number;
}

/** One group as the store returns it. */
export interface WinbackCounts {
  /** the scan period or journey version; null without `by` (or for runs without a period) */
  group: string | null;
  treated: ArmCounts;
  holdout: ArmCounts;
}

export interface ArmRate extends ArmCounts {
  /** won back / runs in percent; null without runs */
  rate: number | null;
}

/**
 * The interval of a difference of two proportions: Wald when both arms have at least SMALL_N runs and at
 * least 5 won and 5 not won (the normal approximation's rule of thumb), else Newcombe's hybrid score
 * interval, which stays inside −100..100 and is not degenerate at 0% or 100%.
 */
export type LiftMethod = 'wald' | 'newcombe';

export interface Lift {
  /** rate treated − rate holdout, in percentage points */
  points: number;
  /** its 95% interval, in percentage points */
  interval: Interval;
  method: LiftMethod;
  /** rate treated / rate holdout − 1, in percent; null when the holdout's rate is 0 */
  relative: number | null;
}

export interface WinbackMetric {
  treated: ArmRate;
  holdout: ArmRate;
  /** null unless both arms have runs */
  lift: Lift | null;
  /** both arms have at least minN runs */
  enoughRuns: boolean;
  /** enough runs and the lift's 95% interval excludes 0 */
  significant: boolean;
  /** why not significant */
  reason?: string;
}

/**
 * Wilson's score interval of a proportion x/n as fractions (Wilson 1927), the building block of Newcombe's
 * interval. Requires n > 0.
 */
export function wilsonInterval(x: number, n: number, z = Z95): Interval {
  if (n <= 0) throw new RangeError('a proportion needs at least one observation');
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The difference p1 − p2 of two independent proportions with its 95% interval, as fractions.
 * Wald: d ± 1.96·√(p1(1 − p1)/n1 + p2(1 − p2)/n2). Newcombe's hybrid score (Newcombe 1998, "Interval
 * estimation for the difference between independent proportions", Statistics in Medicine 17, method 10):
 * from the Wilson intervals [l1, u1], [l2, u2], low = d − √((p1 − l1)² + (u2 − p2)²),
 * high = d + √((u1 − p1)² + (p2 − l2)²). Which one: see LiftMethod. Requires n1, n2 > 0.
 */
export function proportionDifference(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): { difference: number; interval: Interval; method: LiftMethod } {
  if (n1 <= 0 || n2 <= 0) throw new RangeError('a difference of proportions needs runs in both groups');
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const difference = p1 - p2;
  const large = (x: number, n: number) => n >= SMALL_N && x >= 5 && n - x >= 5;
  if (large(x1, n1) && large(x2, n2)) {
    const margin = Z95 * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
    return { difference, interval: { low: difference - margin, high: difference + margin }, method: 'wald' };
  }
  return { difference, interval: newcombeInterval(x1, n1, x2, n2), method: 'newcombe' };
}

/** Newcombe's hybrid score interval (method 10) of x1/n1 − x2/n2, as fractions; see proportionDifference. */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number): Interval {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilsonInterval(x1, n1);
  const w2 = wilsonInterval(x2, n2);
  return {
    low: p1 - p2 - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: p1 - p2 + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/**
 * Win-back rates of treated runs and of the holdout, the lift in percentage points with its 95% interval,
 * the relative lift, and whether the lift is significant (both arms have minN runs and the interval
 * excludes 0). Figures are rounded to 0.01 percent / percentage points.
 */
export function measureWinback(counts: Omit<WinbackCounts, 'group'>, minN = DEFAULT_MIN_N): WinbackMetric {
  const arm = ({ runs, wonBack }: ArmCounts): ArmRate => ({
    runs,
    wonBack,
    rate: runs > 0 ? round((100 * wonBack) / runs, 2) : null,
  });
  const { treated, holdout } = counts;
  let lift: Lift | null = null;
  if (treated.runs > 0 && holdout.runs > 0) {
    const d = proportionDifference(treated.wonBack, treated.runs, holdout.wonBack, holdout.runs);
    const rateTreated = treated.wonBack / treated.runs;
    const rateHoldout = holdout.wonBack / holdout.runs;
    lift = {
      points: round(100 * d.difference, 2),
      interval: { low: round(100 * d.interval.low, 2), high: round(100 * d.interval.high, 2) },
      method: d.method,
      relative: rateHoldout > 0 ? round(100 * (rateTreated / rateHoldout - 1), 2) : null,
    };
  }
  const enoughRuns = treated.runs >= minN && holdout.runs >= minN;
  const excludesZero = lift !== null && (lift.interval.low > 0 || lift.interval.high < 0);
  const significant = enoughRuns && excludesZero;
  const reason = significant
    ? undefined
    : treated.runs === 0 && holdout.runs === 0
      ? 'no completed runs'
      : treated.runs === 0 || holdout.runs === 0
        ? `no completed ${treated.runs === 0 ? 'treated' : 'holdout'} runs: no lift`
        : !enoughRuns
          ? `${treated.runs < minN ? `treated n = ${treated.runs}` : `holdout n = ${holdout.runs}`} is below the minimum of ${minN}: not significant`
          : 'the 95% interval of the lift includes 0: not significant';
  return {
    treated: arm(treated),
    holdout: arm(holdout),
    lift,
    enoughRuns,
    significant,
    ...(reason ? { reason } : {}),
  };
}

export interface WinbackGroupMetric extends WinbackMetric {
  group: string | null;
}

/** Every group's figures and the total over all runs (summed counts), groups sorted by name, null last. */
export function summarizeWinback(
  groups: WinbackCounts[],
  minN = DEFAULT_MIN_N,
): { groups: WinbackGroupMetric[]; total: WinbackMetric } {
  // numeric-aware, so version 10 comes after version 9
  const sorted = [...groups].sort((a, b) =>
    a.group === b.group
      ? 0
      : a.group === null
        ? 1
        : b.group === null
          ? -1
          : a.group.localeCompare(b.group, 'en', { numeric: true }),
  );
  const sum = (pick: (g: WinbackCounts) => ArmCounts): ArmCounts => ({
    runs: groups.reduce((total, g) => total + pick(g).runs, 0),
    wonBack: groups.reduce((total, g) => total + pick(g).wonBack, 0),
  });
  return {
    groups: sorted.map((g) => ({ group: g.group, ...measureWinback(g, minN) })),
    total: measureWinback({ treated: sum((g) => g.treated), holdout: sum((g) => g.holdout) }, minN),
  };
}
