import { z } from 'zod';

/**
 * Churn scoring's shapes: the settings, the base model (everything that depends on the whole customer base)
 * and one customer's score. Plain JSON: the churn scan passes the model between activities.
 * The formulas are in docs/churn.md; time in BG/NBD is in weeks, everything shown to people in days.
 */

const positive = z.number().positive().finite();

/** BG/NBD parameters (Fader, Hardie & Lee 2005), with time in weeks: purchase rate λ ~ Gamma(r, α), dropout p ~ Beta(a, b). */
export const BgNbdParams = z
  .object({
    r: positive.max(1e4),
    alpha: positive.max(1e4),
    // beyond 100, dropout is the same for everyone and the expected-purchases series is ill-conditioned
    a: positive.max(100),
    b: positive.max(100),
  })
  .strict();
export type BgNbdParams = z.infer<typeof BgNbdParams>;

export const ChurnSettings = z
  .object({
    /** Fixed BG/NBD parameters (CHURN_BGNBD_PARAMS); unset: fitted from the base. */
    bgNbdParams: BgNbdParams.optional(),
    /** The share of an order's amount that is margin, for CLV (CHURN_MARGIN). */
    margin: z.number().min(0).max(1).default(0.3),
    /** Yearly discount rate i for CLV (CHURN_DISCOUNT_RATE). */
    discountRate: z.number().min(0).max(1).default(0.1),
    /** CLV counts the expected purchases of this many years (CHURN_CLV_YEARS). */
    clvYears: z.number().int().min(1).max(10).default(3),
    /**
     * k in the overdue ramp: no overdue risk up to the usual gap, full risk at k × the gap
     * (CHURN_GAP_MULTIPLE); the one-purchase rule uses the base's median gap.
     */
    gapMultiple: z.number().gt(1).max(20).default(3),
    /** The typical gap when the base has no repeat buyers to measure it from, in days. */
    fallbackGapDays: z.number().positive().default(90),
  })
  .strict();
export type ChurnSettings = z.infer<typeof ChurnSettings>;
export const DEFAULT_CHURN_SETTINGS: ChurnSettings = ChurnSettings.parse({});

/** Four ascending cut points (20th, 40th, 60th, 80th percentile) that split the base into quintiles. */
const CutPoints = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** Everything about the base that one customer's score is measured against. */
export const ChurnModel = z
  .object({
    /** The moment the base was read as of (orders after it are not in the model). */
    asOf: z.iso.datetime({ offset: true }),
    /** Customers with at least one order as of `asOf`, and those with purchases on two or more days. */
    customers: z.number().int().nonnegative(),
    repeatCustomers: z.number().int().nonnegative(),
    /** RFM quintile cut points: days since the last order, number of orders, total spend. */
    rfm: z.object({ recencyDays: CutPoints, frequency: CutPoints, monetary: CutPoints }).strict(),
    /** The median of repeat buyers' average days between purchase days (the one-purchase rule's yardstick). */
    typicalGapDays: z.number().positive(),
    typicalGapSource: z.enum(['base-median', 'fallback']),
    bgNbd: z
      .object({
        params: BgNbdParams,
        /** fitted from the base, configured (CHURN_BGNBD_PARAMS), or the published default for a base too small to fit. */
        source: z.enum(['fitted', 'configured', 'published-default']),
        /** Why the parameters are what they are, when it is not a plain fit. */
        note: z.string().optional(),
        /** Of the fit: the log-likelihood at the parameters, optimiser iterations, whether it converged. */
        logLikelihood: z.number().optional(),
        iterations: z.number().int().optional(),
        converged: z.boolean().optional(),
      })
      .strict(),
    settings: ChurnSettings,
  })
  .strict();
export type ChurnModel = z.infer<typeof ChurnModel>;

/** RFM quintile scores, 5 = best (most recent, most frequent, highest spend), the code "R5F4M3" and a segment. */
export const RfmScore = z
  .object({
    r: z.number().int().min(1).max(5),
    f: z.number().int().min(1).max(5),
    m: z.number().int().min(1).max(5),
    code: z.string().regex(/^R[1-5]F[1-5]M[1-5]$/),
    segment: z.string(),
  })
  .strict();
export type RfmScore = z.infer<typeof RfmScore>;

/** One customer's churn-risk score with the reasons behind it. */
export const ChurnScore = z
  .object({
    asOf: z.iso.datetime({ offset: true }),
    /** 0 (safe) .. 1 (gone), three decimals. */
    risk: z.number().min(0).max(1),
    /** The sentences that explain the risk, the weightiest first. */
    reasons: z.array(z.string()),
    /** bg-nbd: purchases on two or more days; one-purchase-rule: a single purchase day, where P(alive) says nothing. */
    method: z.enum(['bg-nbd', 'one-purchase-rule']),
    /** What the risk is made of, each 0..1 (see docs/churn.md). */
    components: z
      .object({ dropout: z.number().optional(), overdue: z.number(), recency: z.number().optional() })
      .strict(),
    rfm: RfmScore,
    /** BG/NBD probability that the customer is still active (1 for one purchase day, by the model). */
    pAlive: z.number().min(0).max(1),
    /** Expected purchases in the next 52 weeks (BG/NBD). */
    expectedPurchasesNextYear: z.number().nonnegative(),
    /** Discounted margin of the purchases expected in the next `clvYears` years. */
    clv: z.number().nonnegative(),
    history: z
      .object({
        orders: z.number().int().positive(),
        /** Purchases on distinct days after the first: BG/NBD's x. */
        repeatPurchases: z.number().int().nonnegative(),
        firstOrderAt: z.string(),
        lastOrderAt: z.string(),
        daysSinceLastOrder: z.number().nonnegative(),
        /** Average days between purchase days; null with one purchase day. */
        usualGapDays: z.number().nullable(),
        total: z.number().nonnegative(),
        averageOrderValue: z.number().nonnegative(),
        /** The latest order's currency; amounts in other currencies are summed as they are. */
        currency: z.string(),
      })
      .strict(),
  })
  .strict();
export type ChurnScore = z.infer<typeof ChurnScore>;
