import { z } from 'zod';
import { ChurnModel } from './churn';
import { PeriodUnit } from './period';

/**
 * The daily churn scan (workflows/churn-scan.ts): what it is started with and what it reports while it runs.
 * A customer is enrolled once per period: the `churn.risk_detected` event id and the win-back run id both
 * carry the period, so a rerun or an overlapping scan in the same period starts nothing twice.
 */
export const ChurnScanPeriod = PeriodUnit.extract(['day', 'week', 'month']);
export type ChurnScanPeriod = z.infer<typeof ChurnScanPeriod>;

export const ChurnScanSettings = z
  .object({
    /** Customers with a risk at or above this are enrolled (CHURN_RISK_THRESHOLD). */
    threshold: z.number().min(0).max(1).default(0.7),
    /** One enrolment per customer and period (CHURN_SCAN_PERIOD). */
    period: ChurnScanPeriod.default('month'),
    /** Customers scored per activity (CHURN_SCAN_PAGE_SIZE). */
    pageSize: z.number().int().min(1).max(10_000).default(500),
    /**
     * A customer enrolled (in an earlier period) less than this many days ago is not enrolled again, so a
     * win-back that is still running is never doubled at a period boundary (CHURN_REENROL_AFTER_DAYS).
     */
    reenrolAfterDays: z.number().int().min(0).max(3650).default(30),
  })
  .strict();
export type ChurnScanSettings = z.infer<typeof ChurnScanSettings>;

/** The counts a scan keeps while it pages through the customers. */
export const ChurnScanCounts = z.object({
  /** Customers read so far. */
  customers: z.number().int().nonnegative(),
  /** Of those, customers with orders (scored) and without (nothing to score). */
  scored: z.number().int().nonnegative(),
  unscored: z.number().int().nonnegative(),
  /** Scored at or above the threshold. */
  atRisk: z.number().int().nonnegative(),
  /** Win-back runs this scan started. */
  started: z.number().int().nonnegative(),
  /** At-risk customers enrolled earlier in the period (a rerun or an overlapping scan): nothing started. */
  alreadyEnrolled: z.number().int().nonnegative(),
  /** At-risk customers enrolled in an earlier period within `reenrolAfterDays`: not enrolled again yet. */
  recentlyEnrolled: z.number().int().nonnegative(),
  /** At-risk customers no journey started for (e.g. no journey triggers on churn.risk_detected). */
  notStarted: z.number().int().nonnegative(),
  /** Yearly anniversaries routed as milestone.reached (first time only; they may start a thank-you). */
  anniversaries: z.number().int().nonnegative(),
});
export type ChurnScanCounts = z.infer<typeof ChurnScanCounts>;

export const NO_COUNTS: ChurnScanCounts = {
  customers: 0,
  scored: 0,
  unscored: 0,
  atRisk: 0,
  started: 0,
  alreadyEnrolled: 0,
  recentlyEnrolled: 0,
  notStarted: 0,
  anniversaries: 0,
};

export const ChurnScanProgress = z.object({
  asOf: z.string(),
  period: z.string(),
  threshold: z.number(),
  reenrolAfterDays: z.number(),
  phase: z.enum(['modelling', 'scanning', 'done']),
  /** Pages of customers done, and the last customer id read (the scan resumes after it). */
  pages: z.number().int().nonnegative(),
  cursor: z.string().optional(),
  counts: ChurnScanCounts,
  /** How many customers the base had when the scan began (for a progress bar; new customers may join). */
  totalCustomers: z.number().int().nonnegative().optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
});
export type ChurnScanProgress = z.infer<typeof ChurnScanProgress>;

export const ChurnScanInput = z.object({
  /** Score as of this moment; default: when the scan starts (workflow time). */
  asOf: z.iso.datetime({ offset: true }).optional(),
  settings: ChurnScanSettings.optional(),
  /** Set when the scan continues as new: the model it built and where it was. */
  resume: z.object({ model: ChurnModel, progress: ChurnScanProgress }).optional(),
});
export type ChurnScanInput = z.infer<typeof ChurnScanInput>;
