import type { Stores } from '../store';
import { voucherCode } from './voucher-code';

export interface OrderGiftInput {
  /** run + step: the idempotency key, so a retried call never orders twice */
  key: string;
  customerId: string;
  campaign: string;
  value: number;
  currency: string;
}

export interface OrderGiftResult {
  code: string;
  value: number;
  currency: string;
  campaign: string;
  repeated: boolean;
}

/**
 * The built-in gift provider: a digital voucher issued from the database. The order key makes a
 * repeated call return the first order, as a provider's `external_id` does.
 */
export async function orderGift(stores: Stores, input: OrderGiftInput): Promise<OrderGiftResult> {
  const { order, repeated } = await stores.giftOrders.place({ ...input, code: voucherCode(), status: 'issued' });
  return { code: order.code, value: order.value, currency: order.currency, campaign: order.campaign, repeated };
}
