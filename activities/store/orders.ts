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
}
