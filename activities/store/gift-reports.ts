import { BUDGET_HOLDING_STATUSES } from '../../model/gift';
import {
  RELEASED_STATUSES,
  type GiftBudgetQuery,
  type GiftBudgetUse,
  type GiftList,
  type GiftListQuery,
} from '../../model/gift-report';
import { InputError } from '../../model/validation';
import type { Queryable } from './database';
import type { GiftRow } from './gifts';

/** With created_at to the microsecond, for the cursor (a Date keeps milliseconds only). */
type ListedRow = GiftRow & { created_exact: string };

interface BudgetRow {
  campaign: string;
  period: string;
  currency: string;
  amount: string | null;
  booked: string;
  delivered: string;
  released: string;
  gifts: string;
  ineligible: string;
}

/** A page's position: the last row's exact creation time and key (newest first, ties by key). */
const encodeCursor = (createdExact: string, key: string) =>
  Buffer.from(JSON.stringify([createdExact, key])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      if (!Number.isNaN(Date.parse(value[0]))) return value as [string, string];
    }
  } catch {
    // reported below
  }
  throw new InputError([{ path: 'cursor', message: 'is not a nextCursor of this list; start again without it' }]);
}

const money = (value: string | null) => (value === null ? null : Number(value));

/** Read queries over the gift ledger (`gifts`) and budgets (`gift_budgets`): lists and budget use. */
export class GiftReports {
  constructor(private readonly db: Queryable) {}

  /** Gifts newest first, filtered; `nextCursor` continues with older ones. */
  async list(query: GiftListQuery): Promise<GiftList> {
    const [cursorTime, cursorKey] = query.cursor ? decodeCursor(query.cursor) : [null, null];
    const rows = await this.db.query<ListedRow>(
      `SELECT *, created_at::text AS created_exact FROM gifts
       WHERE ($1::text IS NULL OR campaign = $1)
         AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR customer_id = $3)
         AND ($4::timestamptz IS NULL OR created_at >= $4)
         AND ($5::timestamptz IS NULL OR (created_at, key) < ($5::timestamptz, $6::text))
       ORDER BY created_at DESC, key DESC
       LIMIT $7`,
      [
        query.campaign ?? null,
        query.status ?? null,
        query.customer ?? null,
        // a date is UTC midnight, whatever the database session's time zone
        query.since ? new Date(query.since).toISOString() : null,
        cursorTime,
        cursorKey,
        query.limit + 1,
      ],
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      gifts: page.map((row) => ({
        key: row.key,
        workflowId: row.workflow_id,
        journeyId: row.journey_id,
        customerId: row.customer_id,
        campaign: row.campaign,
        period: row.period,
        productId: row.product_id,
        kind: row.kind,
        cost: Number(row.cost),
        currency: row.currency,
        status: row.status,
        reason: row.reason,
        provider: row.provider,
        providerOrderId: row.provider_order_id,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
      })),
      ...(rows.length > query.limit && last ? { nextCursor: encodeCursor(last.created_exact, last.key) } : {}),
    };
  }

  /**
   * Budget use per campaign and period, newest period first: every budget row, and every campaign and period
   * that has gifts without one. Sums are computed in SQL on numeric (exact), then returned as numbers.
   */
  async budgets(query: GiftBudgetQuery): Promise<GiftBudgetUse[]> {
    const rows = await this.db.query<BudgetRow>(
      `WITH used AS (
         SELECT campaign, period, min(currency) AS currency,
           coalesce(sum(cost) FILTER (WHERE status = ANY($3::text[])), 0) AS booked,
           coalesce(sum(cost) FILTER (WHERE status = 'delivered'), 0) AS delivered,
           coalesce(sum(cost) FILTER (WHERE status = ANY($4::text[])), 0) AS released,
           count(*) FILTER (WHERE status = ANY($3::text[])) AS gifts,
           count(*) FILTER (WHERE status = 'ineligible') AS ineligible
         FROM gifts
         WHERE ($1::text IS NULL OR campaign = $1) AND ($2::text IS NULL OR period = $2)
         GROUP BY campaign, period
       )
       SELECT coalesce(b.campaign, u.campaign) AS campaign, coalesce(b.period, u.period) AS period,
         coalesce(b.currency, u.currency) AS currency, b.amount,
         coalesce(u.booked, 0) AS booked, coalesce(u.delivered, 0) AS delivered,
         coalesce(u.released, 0) AS released, coalesce(u.gifts, 0) AS gifts,
         coalesce(u.ineligible, 0) AS ineligible
       FROM (SELECT * FROM gift_budgets
             WHERE ($1::text IS NULL OR campaign = $1) AND ($2::text IS NULL OR period = $2)) b
       FULL OUTER JOIN used u ON u.campaign = b.campaign AND u.period = b.period
       ORDER BY 1, 2 DESC`,
      [query.campaign ?? null, query.period ?? null, [...BUDGET_HOLDING_STATUSES], [...RELEASED_STATUSES]],
    );
    return rows.map((row) => {
      const amount = money(row.amount);
      const booked = Number(row.booked);
      return {
        campaign: row.campaign,
        period: row.period,
        currency: row.currency,
        amount,
        booked,
        delivered: Number(row.delivered),
        released: Number(row.released),
        // in cents, so 100 − 74.9 is 25.1 and not 25.099999999999994
        remaining: amount === null ? null : Math.round((amount - booked) * 100) / 100,
        gifts: Number(row.gifts),
        ineligible: Number(row.ineligible),
      };
    });
  }
}
