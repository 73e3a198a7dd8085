import type { GiftOrderRequest, ProviderOrder } from '../../model/gift-provider';

/**
 * The gift provider port. `placeOrder` is idempotent per `externalId`: a second call with the same id returns
 * the first order (`repeated: true`) and never creates another, which is what makes an activity retry safe.
 */
export interface GiftProvider {
  readonly name: string;
  placeOrder(request: GiftOrderRequest): Promise<ProviderOrder>;
  /** The order placed under this externalId, with its current status; undefined when none was placed. */
  getOrder(externalId: string): Promise<ProviderOrder | undefined>;
}

/**
 * A provider call that did not work. `temporary` (rate limit, 5xx, network, timeout): retrying may succeed.
 * `permanent` (bad request, credentials, funds): retrying cannot help until someone fixes what the message names.
 */
export class GiftProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: 'temporary' | 'permanent',
    message: string,
    /** The provider's HTTP status, when there was an answer. */
    readonly status?: number,
  ) {
    super(`gift provider ${provider}: ${message}`);
    this.name = 'GiftProviderError';
  }
}
