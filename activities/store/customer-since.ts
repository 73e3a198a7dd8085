import type { Queryable } from './database';

/** What yearly anniversaries count from: a customer's first order, else when the customer was created. */
export class CustomerSince {
  constructor(private readonly db: Queryable) {}

  /** The date each of these customers is a customer since (unknown ids are left out). */
  async of(customerIds: string[]): Promise<Map<string, string>> {
    if (customerIds.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; since: Date }>(
      `SELECT c.id, coalesce(min(o.occurred_at), c.created_at) AS since
       FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
       WHERE c.id = ANY($1::text[])
       GROUP BY c.id, c.created_at`,
      [customerIds],
    );
    return new Map(rows.map((row) => [row.id, new Date(row.since).toISOString()]));
  }
}
