import { z } from 'zod';
import { CustomerId } from './customer';
import { GiftStatus } from './gift';
import { GiftKind } from './gift-provider';

/** A date (UTC midnight) or a datetime with a zone (Z or ±hh:mm): a local time would be ambiguous. */
const Instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expected an ISO date (2026-01-31) or a datetime with a zone (2026-01-31T08:00:00Z)',
});
const Campaign = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');

/** The query of `GET /v1/gifts` (strings, as they come in a URL): newest first, a page at a time. */
export const GiftListQuery = z
  .object({
    campaign: Campaign.optional(),
    status: GiftStatus.optional(),
    customer: CustomerId.optional(),
    /** Gifts booked at or after this instant. */
    since: Instant.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** `nextCursor` of the previous page. */
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must be the nextCursor of a previous page')
      .optional(),
  })
  .strict();
export type GiftListQuery = z.infer<typeof GiftListQuery>;

/** One gift of the ledger as lists show it (the shipping address stays out: it is personal data). */
export const GiftListItem = z.object({
  key: z.string(),
  workflowId: z.string(),
  journeyId: z.string(),
  customerId: z.string(),
  campaign: z.string(),
  period: z.string(),
  productId: z.string().nullable(),
  kind: GiftKind.nullable(),
  cost: z.number(),
  currency: z.string(),
  status: GiftStatus,
  reason: z.string().nullable(),
  provider: z.string().nullable(),
  providerOrderId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type GiftListItem = z.infer<typeof GiftListItem>;

export interface GiftList {
  gifts: GiftListItem[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/** The query of `GET /v1/gifts/budgets`. */
export const GiftBudgetQuery = z
  .object({
    campaign: Campaign.optional(),
    /** One period, e.g. 2026-11, 2026-Q4 or 2026. */
    period: z
      .string()
      .regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$/, 'must be a period such as 2026-11, 2026-Q4 or 2026')
      .optional(),
  })
  .strict();
export type GiftBudgetQuery = z.infer<typeof GiftBudgetQuery>;

/**
 * A campaign's budget use in one period. booked: cost of the gifts that hold budget (statuses in
 * BUDGET_HOLDING_STATUSES, delivered included); delivered: of those, delivered; released: cost of gifts
 * that were booked and gave it back (unclaimed, failed, released); remaining = amount − booked. A period with
 * gifts but no budget row has amount and remaining null.
 */
export const GiftBudgetUse = z.object({
  campaign: z.string(),
  period: z.string(),
  currency: z.string(),
  amount: z.number().nullable(),
  booked: z.number(),
  delivered: z.number(),
  released: z.number(),
  remaining: z.number().nullable(),
  /** How many gifts hold budget, and how many were turned away as ineligible. */
  gifts: z.number().int(),
  ineligible: z.number().int(),
});
export type GiftBudgetUse = z.infer<typeof GiftBudgetUse>;

/** Statuses of gifts that were booked but no longer hold budget. */
export const RELEASED_STATUSES: readonly GiftStatus[] = ['unclaimed', 'failed', 'released'];
