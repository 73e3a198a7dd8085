import type { GiftDelivery, GiftKind, ProviderOrderStatus, ShippingAddress } from '../../model/gift-provider';
import type { Queryable } from './database';

/** A voucher order of the old `orderGift` activity (recorded histories still call it). */
export interface GiftOrder {
  key: string;
  customerId: string;
  campaign: string;
  value: number;
  currency: string;
  code: string;
  status: string;
}

/** An order of the built-in gift provider, as the provider port sees it. */
export interface BuiltinGiftOrder {
  /** the request's externalId (run + step key): one order per key */
  key: string;
  providerOrderId: string;
  customerId: string;
  email?: string;
  campaign: string;
  productId?: string;
  kind: GiftKind;
  value: number;
  currency: string;
  delivery?: GiftDelivery;
  /** the voucher code of a digital gift */
  code?: string;
  link?: string;
  shippingAddress?: ShippingAddress;
  status: ProviderOrderStatus;
  failureReason?: string;
}

interface GiftRow {
  key: string;
  provider_order_id: string;
  customer_id: string;
  campaign: string;
  value: string;
  currency: string;
  code: string | null;
  status: string;
  product_id: string | null;
  kind: GiftKind;
  email: string | null;
  delivery: GiftDelivery | null;
  reward_link: string | null;
  shipping_address: ShippingAddress | null;
  failure_reason: string | null;
}

const toOrder = (row: GiftRow): GiftOrder => ({
  key: row.key,
  customerId: row.customer_id,
  campaign: row.campaign,
  value: Number(row.value),
  currency: row.currency,
  code: row.code ?? '',
  status: row.status,
});

// The old orderGift activity's vouchers were 'issued': the code was in the customer's hands at once.
const providerStatusOf = (status: string): ProviderOrderStatus =>
  status === 'issued' ? 'delivered' : (status as ProviderOrderStatus);

const toBuiltinOrder = (row: GiftRow): BuiltinGiftOrder => ({
  key: row.key,
  providerOrderId: row.provider_order_id,
  customerId: row.customer_id,
  email: row.email ?? undefined,
  campaign: row.campaign,
  productId: row.product_id ?? undefined,
  kind: row.kind,
  value: Number(row.value),
  currency: row.currency,
  delivery: row.delivery ?? undefined,
  code: row.code ?? undefined,
  link: row.reward_link ?? undefined,
  shippingAddress: row.shipping_address ?? undefined,
  status: providerStatusOf(row.status),
  failureReason: row.failure_reason ?? undefined,
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

  /**
   * Records a provider order once per key. The insert and the conflict check are one statement, so two
   * concurrent attempts with the same key still leave one order; the loser gets the winner's order back.
   */
  async placeOrder(order: BuiltinGiftOrder): Promise<{ order: BuiltinGiftOrder; repeated: boolean }> {
    const inserted = await this.db.query<GiftRow>(
      `INSERT INTO gift_orders (key, provider_order_id, customer_id, email, campaign, product_id, kind, value,
         currency, delivery, code, reward_link, shipping_address, status, failure_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15)
       ON CONFLICT (key) DO NOTHING RETURNING *`,
      [
        order.key,
        order.providerOrderId,
        order.customerId,
        order.email ?? null,
        order.campaign,
        order.productId ?? null,
        order.kind,
        order.value,
        order.currency,
        order.delivery ?? null,
        order.code ?? null,
        order.link ?? null,
        order.shippingAddress ? JSON.stringify(order.shippingAddress) : null,
        order.status,
        order.failureReason ?? null,
      ],
    );
    if (inserted[0]) return { order: toBuiltinOrder(inserted[0]), repeated: false };
    const existing = await this.get(order.key);
    if (!existing) throw new Error(`gift order ${order.key} conflicted on insert but cannot be read back`);
    return { order: existing, repeated: true };
  }

  async get(key: string): Promise<BuiltinGiftOrder | undefined> {
    const [row] = await this.db.query<GiftRow>('SELECT * FROM gift_orders WHERE key = $1', [key]);
    return row ? toBuiltinOrder(row) : undefined;
  }

  /**
   * Fulfilment reports back (the gift webhook): an order that is not final yet moves to `status`.
   * Returns the order as it is afterwards; undefined when there is no built-in order with this key.
   */
  async settle(
    key: string,
    status: 'delivered' | 'failed',
    failureReason?: string,
  ): Promise<BuiltinGiftOrder | undefined> {
    await this.db.query(
      `UPDATE gift_orders SET status = $2, failure_reason = $3, updated_at = now()
       WHERE key = $1 AND status IN ('pending-approval', 'executed')`,
      [key, status, failureReason ?? null],
    );
    return this.get(key);
  }

  async forCustomer(customerId: string): Promise<GiftOrder[]> {
    const rows = await this.db.query<GiftRow>('SELECT * FROM gift_orders WHERE customer_id = $1 ORDER BY created_at', [
      customerId,
    ]);
    return rows.map(toOrder);
  }
}
