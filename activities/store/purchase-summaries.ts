import type { Queryable } from './database';

/** Per-customer purchase aggregates over the orders table, as churn scoring measures them (see docs/churn.md). */
export interface BaseStatistics {
  customers: number;
  repeatCustomers: number;
  /** 20/40/60/80th percentiles, null for an empty base. */
  recencyDays: number[] | null;
  frequency: number[] | null;
  monetary: number[] | null;
  /** Median over repeat buyers of their average days between purchase days; null without repeat buyers. */
  medianGapDays: number | null;
}

export interface BgNbdRow {
  customerId: string;
  x: number;
  txWeeks: number;
  ageWeeks: number;
}

// One row per customer with orders up to $1: x (purchase days after the first), span and age.
const PER_CUSTOMER = `
  SELECT customer_id,
    count(*) AS orders,
    count(DISTINCT (occurred_at AT TIME ZONE 'UTC')::date) - 1 AS x,
    extract(epoch FROM max(occurred_at) - min(occurred_at)) AS span_s,
    extract(epoch FROM $1::timestamptz - min(occurred_at)) AS age_s,
    extract(epoch FROM $1::timestamptz - max(occurred_at)) AS recency_s,
    sum(amount) AS total
  FROM orders WHERE occurred_at <= $1::timestamptz`;

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const numbers = (value: unknown) => (Array.isArray(value) ? value.map(Number) : null);

/** Aggregates the base in SQL, so no step holds every customer's orders. */
export class PurchaseSummaries {
  constructor(private readonly db: Queryable) {}

  /** Counts, RFM quintile cut points and the median gap, in one pass over the orders up to `asOf`. */
  async baseStatistics(asOf: string): Promise<BaseStatistics> {
    const [row] = await this.db.query<Record<string, unknown>>(
      `WITH per_customer AS (${PER_CUSTOMER} GROUP BY customer_id)
       SELECT count(*) AS customers,
         count(*) FILTER (WHERE x > 0) AS repeat_customers,
         percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY recency_s / 86400) AS recency_days,
         percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY orders) AS frequency,
         percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY total) AS monetary,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY span_s / 86400 / x) FILTER (WHERE x > 0) AS median_gap_days
       FROM per_customer`,
      [asOf],
    );
    return {
      customers: Number(row.customers),
      repeatCustomers: Number(row.repeat_customers),
      recencyDays: numbers(row.recency_days),
      frequency: numbers(row.frequency),
      monetary: numbers(row.monetary),
      medianGapDays: numberOrNull(row.median_gap_days),
    };
  }

  /** One page of (x, tx, T) in weeks, customers after `after` in id order (keyset pagination). */
  async bgNbdPage(asOf: string, after: string, limit: number): Promise<BgNbdRow[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `${PER_CUSTOMER} AND customer_id > $2 GROUP BY customer_id ORDER BY customer_id LIMIT $3`,
      [asOf, after, limit],
    );
    return rows.map((row) => ({
      customerId: String(row.customer_id),
      x: Number(row.x),
      txWeeks: Number(row.span_s) / 604800,
      ageWeeks: Number(row.age_s) / 604800,
    }));
  }
}
