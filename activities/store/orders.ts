import type { Order, OrderSource } from '../../model/order';
import type { Queryable } from './database';

interface OrderRow {
  customer_id: string;
  id: string;
  occurred_at: Date;
  amount: string;
  currency: string;
}

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  customerId: row.customer_id,
  occurredAt: new Date(row.occurred_at).toISOString(),
  amount: Number(row.amount),
  currency: row.currency,
});

/** Customers' order histories: what churn scoring, CLV and milestones read. */
export class OrderStore {
  constructor(private readonly db: Queryable) {}

  /** Appends the order unless the customer already has one with this id; returns whether it was new. */
  async record(order: Order, source: OrderSource, db: Queryable = this.db): Promise<boolean> {
    const inserted = await db.query(
      `INSERT INTO orders (customer_id, id, occurred_at, amount, currency, source) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (customer_id, id) DO NOTHING RETURNING id`,
      [order.customerId, order.id, order.occurredAt, order.amount, order.currency, source],
    );
    return inserted.length > 0;
  }

  /** The customer's orders up to a moment, oldest first. */
  async ofCustomer(customerId: string, asOf?: string): Promise<Order[]> {
    const rows = await this.db.query<OrderRow>(
      `SELECT * FROM orders WHERE customer_id = $1 AND ($2::timestamptz IS NULL OR occurred_at <= $2)
       ORDER BY occurred_at, id`,
      [customerId, asOf ?? null],
    );
    return rows.map(toOrder);
  }

  /**
   * A page of customers (ids after `after`, in id order) with their orders up to `asOf`: the churn scan
   * reads the base this way, one bounded page at a time. Customers without orders come with none.
   */
  async historiesPage(after: string | undefined, limit: number, asOf: string): Promise<CustomerHistory[]> {
    const rows = await this.db.query<{ customer: string } & Partial<OrderRow>>(
      `WITH page AS (SELECT id FROM customers WHERE ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2)
       SELECT page.id AS customer, o.customer_id, o.id, o.occurred_at, o.amount, o.currency
       FROM page LEFT JOIN orders o ON o.customer_id = page.id AND o.occurred_at <= $3
       ORDER BY page.id, o.occurred_at, o.id`,
      [after ?? null, limit, asOf],
    );
    const histories: CustomerHistory[] = [];
    for (const row of rows) {
      let last = histories[histories.length - 1];
      if (last?.customerId !== row.customer) histories.push((last = { customerId: row.customer, orders: [] }));
      if (row.id !== null && row.id !== undefined) last.orders.push(toOrder(row as OrderRow));
    }
    return histories;
  }
}

export interface CustomerHistory {
  customerId: string;
  orders: Order[];
}
