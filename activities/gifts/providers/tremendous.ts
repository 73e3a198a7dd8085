import { z } from 'zod';
import type { GiftOrderRequest, ProviderOrder, ProviderOrderStatus } from '../../../model/gift-provider';
import { GiftProviderError, type GiftProvider } from '../provider';

export const TREMENDOUS_PROVIDER = 'tremendous';

/** TREMENDOUS_* configuration. */
export interface TremendousSettings {
  /** The API's origin, without /api/v2: https://testflight.tremendous.com (sandbox) or https://www.tremendous.com */
  baseUrl: string;
  apiKey: string;
  /** Pays for the orders; "balance" uses the account balance. */
  fundingSourceId: string;
  /** Offers the campaign's products; without it the catalog's product id is sent as the one product. */
  campaignId?: string;
  /** How long one HTTP call may take before it counts as a temporary failure. */
  timeoutMs: number;
}

/** The parts of a Tremendous order the adapter reads; everything else is passed over. */
const TremendousReward = z
  .object({
    id: z.string(),
    value: z.object({ denomination: z.number(), currency_code: z.string() }).loose().optional(),
    delivery: z
      .object({ method: z.string().optional(), status: z.string().optional(), link: z.string().optional() })
      .loose()
      .optional(),
  })
  .loose();
const TremendousOrder = z
  .object({
    id: z.string(),
    external_id: z.string().nullish(),
    status: z.string(),
    rewards: z.array(TremendousReward).default([]),
  })
  .loose();
type TremendousOrder = z.infer<typeof TremendousOrder>;
const OrderAnswer = z.object({ order: TremendousOrder }).loose();
const OrderList = z.object({ orders: z.array(TremendousOrder) }).loose();

/**
 * A Tremendous-style gift API (docs/gift-providers.md). The request's externalId is sent as `external_id`,
 * which the provider keeps unique: a repeated POST answers with the original order instead of creating one.
 * On top of that, `placeOrder` first looks the id up, so a retry after a lost answer (timeout, dropped
 * connection) finds the order it made and does not rely on the replay alone.
 */
export class TremendousGiftProvider implements GiftProvider {
  readonly name = TREMENDOUS_PROVIDER;

  constructor(
    private readonly settings: TremendousSettings,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async placeOrder(request: GiftOrderRequest): Promise<ProviderOrder> {
    if (request.product.kind === 'physical') {
      throw this.error(
        'permanent',
        `order ${request.externalId} is for physical product "${request.product.id}", but Tremendous sends ` +
          'digital rewards only: offer a digital product in this campaign or use GIFT_PROVIDER=builtin',
      );
    }
    const existing = await this.findByExternalId(request.externalId);
    if (existing) return this.providerOrderOf(existing, request.externalId, true);

    const answer = await this.call('POST', '/api/v2/orders', this.orderBody(request));
    if (answer.status === 409) {
      // A conflict names an order that exists already under this external_id: read it instead.
      const conflicting = await this.findByExternalId(request.externalId);
      if (conflicting) return this.providerOrderOf(conflicting, request.externalId, true);
      throw this.error(
        'temporary',
        `answered 409 for external_id ${request.externalId} but lists no such order yet; retry`,
        409,
      );
    }
    // Tremendous answers a replayed external_id with 201 like a new order; a 200 says "existing" outright.
    const { order } = this.parse(OrderAnswer, answer.body, 'POST /api/v2/orders');
    return this.providerOrderOf(order, request.externalId, answer.status === 200);
  }

  async getOrder(externalId: string): Promise<ProviderOrder | undefined> {
    const found = await this.findByExternalId(externalId);
    if (!found) return undefined;
    // The list may be abbreviated; the order itself carries the rewards' delivery status.
    const path = `/api/v2/orders/${encodeURIComponent(found.id)}`;
    const answer = await this.call('GET', path);
    return this.providerOrderOf(this.parse(OrderAnswer, answer.body, `GET ${path}`).order, externalId, true);
  }

  private orderBody(request: GiftOrderRequest) {
    const { product, recipient } = request;
    return {
      external_id: request.externalId,
      payment: { funding_source_id: this.settings.fundingSourceId },
      reward: {
        value: { denomination: product.value, currency_code: product.currency },
        ...(this.settings.campaignId ? { campaign_id: this.settings.campaignId } : { products: [product.id] }),
        recipient: { name: recipient.name ?? recipient.email, email: recipient.email },
        delivery: { method: request.delivery },
      },
    };
  }

  private async findByExternalId(externalId: string): Promise<TremendousOrder | undefined> {
    const path = `/api/v2/orders?external_id=${encodeURIComponent(externalId)}`;
    const answer = await this.call('GET', path);
    const { orders } = this.parse(OrderList, answer.body, `GET ${path}`);
    // Match exactly: a server that ignored the filter must not hand us someone else's order.
    return orders.find((order) => order.external_id === externalId);
  }

  private providerOrderOf(order: TremendousOrder, externalId: string, repeated: boolean): ProviderOrder {
    const reward = order.rewards[0];
    const { status, failureReason } = this.statusOf(order);
    return {
      provider: this.name,
      providerOrderId: order.id,
      externalId,
      status,
      value: reward?.value?.denomination ?? 0,
      currency: reward?.value?.currency_code ?? '',
      ...(reward?.delivery?.link && { reward: { link: reward.delivery.link } }),
      ...(failureReason && { failureReason }),
      repeated,
    };
  }

  private statusOf(order: TremendousOrder): { status: ProviderOrderStatus; failureReason?: string } {
    const delivery = order.rewards[0]?.delivery?.status?.toUpperCase();
    switch (order.status.toUpperCase().replace(/_/g, ' ')) {
      case 'CART':
      case 'PENDING APPROVAL':
      case 'PENDING INTERNAL PAYMENT APPROVAL':
        return { status: 'pending-approval' };
      case 'EXECUTED':
        if (delivery === 'SUCCEEDED' || delivery === 'DELIVERED') return { status: 'delivered' };
        if (delivery === 'FAILED')
          return { status: 'failed', failureReason: 'Tremendous could not deliver the reward' };
        return { status: 'executed' };
      case 'FAILED':
        return { status: 'failed', failureReason: 'Tremendous could not process the order (e.g. insufficient funds)' };
      case 'CANCELED':
        return { status: 'canceled', failureReason: 'the order was rejected at Tremendous' };
      default:
        throw this.error(
          'permanent',
          `order ${order.id} has status "${order.status}", which this adapter does not know; update activities/gifts/providers/tremendous.ts`,
        );
    }
  }

  /** One HTTP call; failures become GiftProviderErrors (temporary: retry; permanent: fix what the message says). */
  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const url = new URL(path, this.settings.baseUrl).toString();
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${this.settings.apiKey}`,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.settings.timeoutMs} ms`
          : `${(error as Error).message}${(error as { cause?: Error }).cause ? ` (${(error as { cause: Error }).cause.message})` : ''}`;
      // Without an answer the order may exist or not; the retry's lookup by external_id finds out.
      throw this.error('temporary', `${method} ${path}: ${reason}; will retry`);
    }
    const json = parseJson(text);
    if (response.ok || response.status === 409) return { status: response.status, body: json };

    const message = providerMessage(json) ?? (text.trim().slice(0, 300) || response.statusText);
    const what = `${method} ${path} answered ${response.status}: ${message}`;
    if (response.status === 429 || response.status >= 500) {
      throw this.error('temporary', `${what}; will retry`, response.status);
    }
    throw this.error('permanent', `${what}; ${HINTS[response.status] ?? 'fix the request and retry'}`, response.status);
  }

  private parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    const problem = result.error.issues[0];
    throw this.error(
      'temporary',
      `${what} answered a body this adapter cannot read (${problem.path.join('.') || '(root)'}: ${problem.message})`,
    );
  }

  private error(kind: 'temporary' | 'permanent', message: string, status?: number) {
    return new GiftProviderError(this.name, kind, message, status);
  }
}

const HINTS: Record<number, string> = {
  400: 'the order was refused; check the product id (or TREMENDOUS_CAMPAIGN_ID), value, currency and recipient',
  401: 'check TREMENDOUS_API_KEY (a sandbox key works only with the sandbox TREMENDOUS_API_URL)',
  402: 'the funding source cannot pay: add funds or set another TREMENDOUS_FUNDING_SOURCE_ID',
  403: 'the API key may not do this: check its permissions in the Tremendous team settings',
  404: 'not found: check TREMENDOUS_API_URL',
  422: 'the order was refused; check the product id (or TREMENDOUS_CAMPAIGN_ID), value, currency and recipient',
};

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Tremendous errors look like { errors: { message, payload } }; other shapes are read as well as they can be. */
function providerMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { errors, message, error } = body as { errors?: unknown; message?: unknown; error?: unknown };
  if (errors && typeof errors === 'object' && typeof (errors as { message?: unknown }).message === 'string') {
    const payload = (errors as { payload?: unknown }).payload;
    const detail = payload && typeof payload === 'object' ? ` ${JSON.stringify(payload)}` : '';
    return `${(errors as { message: string }).message}${detail}`;
  }
  if (typeof message === 'string') return message;
  if (typeof error === 'string') return error;
  return undefined;
}
