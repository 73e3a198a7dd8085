import type { GiftOrderRequest, ProviderOrder } from '../../../model/gift-provider';
import type { BuiltinGiftOrder, GiftOrderStore } from '../../store/gift-orders';
import { GiftProviderError, type GiftProvider } from '../provider';
import { typeableCode, voucherCode } from '../voucher-code';

export const BUILTIN_PROVIDER = 'builtin';

/**
 * The default provider: orders live in the database. A digital gift is a voucher code issued at once
 * (`delivered`: the code is in hand and the thank-you email carries it, whatever the delivery method); a
 * physical gift is recorded with its confirmed address as `executed` until fulfilment reports delivery or
 * failure through `POST /v1/webhooks/gifts`.
 */
export class BuiltinGiftProvider implements GiftProvider {
  readonly name = BUILTIN_PROVIDER;

  constructor(private readonly orders: GiftOrderStore) {}

  async placeOrder(request: GiftOrderRequest): Promise<ProviderOrder> {
    const { product } = request;
    if (product.kind === 'physical' && !request.shippingAddress) {
      throw new GiftProviderError(
        this.name,
        'permanent',
        `order ${request.externalId} is for a physical gift but has no shipping address: confirm the address first`,
      );
    }
    const { order, repeated } = await this.orders.placeOrder({
      key: request.externalId,
      providerOrderId: `TP-${typeableCode(12)}`,
      customerId: request.recipient.customerId,
      email: request.recipient.email,
      campaign: request.campaign,
      productId: product.id,
      kind: product.kind,
      value: product.value,
      currency: product.currency,
      delivery: request.delivery,
      code: product.kind === 'digital' ? voucherCode() : undefined,
      shippingAddress: product.kind === 'physical' ? request.shippingAddress : undefined,
      status: product.kind === 'digital' ? 'delivered' : 'executed',
    });
    return providerOrderOf(order, repeated);
  }

  async getOrder(externalId: string): Promise<ProviderOrder | undefined> {
    const order = await this.orders.get(externalId);
    return order && providerOrderOf(order, true);
  }
}

function providerOrderOf(order: BuiltinGiftOrder, repeated: boolean): ProviderOrder {
  const reward = order.code || order.link ? { code: order.code, link: order.link } : undefined;
  return {
    provider: BUILTIN_PROVIDER,
    providerOrderId: order.providerOrderId,
    externalId: order.key,
    status: order.status,
    value: order.value,
    currency: order.currency,
    ...(reward && { reward: stripUndefined(reward) }),
    ...(order.failureReason !== undefined && { failureReason: order.failureReason }),
    repeated,
  };
}

/** Activity results travel as JSON; leaving out absent keys keeps them equal to what comes back. */
function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
