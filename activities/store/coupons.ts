import type { Queryable } from './database';

export interface Coupon {
  key: string;
  code: string;
  customerId: string;
  campaign: string;
  percentOff?: number;
  amountOff?: number;
  currency?: string;
  expiresAt: string;
  redeemedOrderId?: string;
}

interface CouponRow {
  key: string;
  code: string;
  customer_id: string;
  campaign: string;
  percent_off: string | null;
  amount_off: string | null;
  currency: string | null;
  expires_at: Date;
  redeemed_order_id: string | null;
}

const toCoupon = (row: CouponRow): Coupon => ({
  key: row.key,
  code: row.code,
  customerId: row.customer_id,
  campaign: row.campaign,
  percentOff: row.percent_off === null ? undefined : Number(row.percent_off),
  amountOff: row.amount_off === null ? undefined : Number(row.amount_off),
  currency: row.currency ?? undefined,
  expiresAt: new Date(row.expires_at).toISOString(),
  redeemedOrderId: row.redeemed_order_id ?? undefined,
});

/** Personal coupon codes (e.g. the win-back offer), one per key (run + step). */
export class CouponStore {
  constructor(private readonly db: Queryable) {}

  /** Issues the coupon once per key; a repeat returns the first one (`repeated`). */
  async issue(coupon: Omit<Coupon, 'redeemedOrderId'>): Promise<{ coupon: Coupon; repeated: boolean }> {
    const [inserted] = await this.db.query<CouponRow>(
      `INSERT INTO coupons (key, code, customer_id, campaign, percent_off, amount_off, currency, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING RETURNING *`,
      [
        coupon.key,
        coupon.code,
        coupon.customerId,
        coupon.campaign,
        coupon.percentOff ?? null,
        coupon.amountOff ?? null,
        coupon.currency ?? null,
        coupon.expiresAt,
      ],
    );
    if (inserted) return { coupon: toCoupon(inserted), repeated: false };
    const [existing] = await this.db.query<CouponRow>('SELECT * FROM coupons WHERE key = $1', [coupon.key]);
    return { coupon: toCoupon(existing), repeated: true };
  }

  /** Marks the customer's coupon with this code as redeemed by an order (an order.placed carrying `couponCode`). */
  async redeem(customerId: string, code: string, orderId: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE coupons SET redeemed_order_id = $3
       WHERE customer_id = $1 AND upper(code) = upper($2) AND redeemed_order_id IS NULL RETURNING key`,
      [customerId, code, orderId],
    );
    return rows.length > 0;
  }

  async forCustomer(customerId: string): Promise<Coupon[]> {
    const rows = await this.db.query<CouponRow>(
      'SELECT * FROM coupons WHERE customer_id = $1 ORDER BY created_at, key',
      [customerId],
    );
    return rows.map(toCoupon);
  }
}
