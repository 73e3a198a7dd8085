import type { Queryable } from './database';

export interface GiftOrder {
  key: string;
  customerId: string;
  campaign: string;
  value: number;
  currency: string;
  code: string;
  status: string;
}

interface GiftRow {
  key: string;
  customer_id: string;
  campaign: string;
  value: string;
  currency: string;
  code: string;
  status: string;
}

const toOrder = (row: GiftRow): GiftOrder => ({
  key: row.key,
  customerId: row.customer_id,
  campaign: row.campaign,
  value: Number(row.value),
  currency: row.currency,
  code: row.code,
  status: row.status,
});

/** The built-in gift provider's orders. */
export class GiftOrderStore {
  constructor(private readonly db: Queryable) {}

  /** Places the order once per key; a repeat returns the original order (like a provider's idempotent replay). */
  async place(order: GiftOrder): Promise<{ order: GiftOrder; repeated: boolean }> {
    const inserted = await this.db.query<GiftRow>(
      `INSERT INTO gift_orders (key, provider_order_id, customer_id, campaign, value, currency, code, status)
       VALUES ($1, $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING RETURNING *`,
      [order.key, order.customerId, order.campaign, order.value, order.currency, order.code, order.status],
    );
    if (inserted[0]) return { order: toOrder(inserted[0]), repeated: false };
    const [existing] = await this.db.query<GiftRow>('SELECT * FROM gift_orders WHERE key = $1', [order.key]);
    return { order: toOrder(existing), repeated: true };
  }

  async forCustomer(customerId: string): Promise<GiftOrder[]> {
    const rows = await this.db.query<GiftRow>('SELECT * FROM gift_orders WHERE customer_id = $1 ORDER BY created_at', [
      customerId,
    ]);
    return rows.map(toOrder);
  }
}
