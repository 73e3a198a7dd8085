import { z } from 'zod';
import { CustomerId } from './customer';
import { CurrencyCode } from './order';

/** Where a physical gift goes, as the customer confirmed it. */
export const ShippingAddress = z
  .object({
    name: z.string().trim().min(1).max(200),
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).optional(),
    postalCode: z.string().trim().min(1).max(20),
    city: z.string().trim().min(1).max(100),
    region: z.string().trim().max(100).optional(),
    country: z
      .string()
      .trim()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code in capitals, e.g. DE'),
  })
  .strict();
export type ShippingAddress = z.infer<typeof ShippingAddress>;

export const GiftKind = z.enum(['digital', 'physical']);
export type GiftKind = z.infer<typeof GiftKind>;

/** How a digital reward reaches the recipient: the provider emails it, or returns a link we send ourselves. */
export const GiftDelivery = z.enum(['EMAIL', 'LINK']);
export type GiftDelivery = z.infer<typeof GiftDelivery>;

/** One gift to order. `externalId` (run + step key) is the provider's idempotency key. */
export const GiftOrderRequest = z
  .object({
    externalId: z.string().min(1).max(200),
    recipient: z.object({ customerId: CustomerId, email: z.email(), name: z.string().min(1).optional() }).strict(),
    campaign: z.string().min(1),
    product: z
      .object({ id: z.string().min(1), kind: GiftKind, value: z.number().positive(), currency: CurrencyCode })
      .strict(),
    delivery: GiftDelivery,
    shippingAddress: ShippingAddress.optional(),
  })
  .strict()
  .refine((request) => request.product.kind !== 'physical' || request.shippingAddress !== undefined, {
    path: ['shippingAddress'],
    message: 'is required for a physical gift: confirm the address with the customer first',
  });
export type GiftOrderRequest = z.infer<typeof GiftOrderRequest>;

/**
 * A provider order's status: `pending-approval` waits for an admin at the provider, `executed` is paid and on
 * its way (a physical parcel, a reward being emailed), `delivered` reached the recipient; `failed` and
 * `canceled` are final without a gift.
 */
export const ProviderOrderStatus = z.enum(['pending-approval', 'executed', 'delivered', 'failed', 'canceled']);
export type ProviderOrderStatus = z.infer<typeof ProviderOrderStatus>;

/** Statuses after which the order changes no more. */
export const FINAL_PROVIDER_STATUSES: readonly ProviderOrderStatus[] = ['delivered', 'failed', 'canceled'];

export const GiftReward = z.object({ code: z.string().optional(), link: z.string().optional() }).strict();
export type GiftReward = z.infer<typeof GiftReward>;

/** What a provider answered for an order. `repeated`: the externalId was ordered before; nothing new was created. */
export const ProviderOrder = z
  .object({
    provider: z.string(),
    providerOrderId: z.string(),
    externalId: z.string(),
    status: ProviderOrderStatus,
    value: z.number(),
    currency: z.string(),
    reward: GiftReward.optional(),
    failureReason: z.string().optional(),
    repeated: z.boolean(),
  })
  .strict();
export type ProviderOrder = z.infer<typeof ProviderOrder>;

/** The provider that orders gifts: the built-in one (the database) or a Tremendous-style HTTP API. */
export const GiftProviderName = z.enum(['builtin', 'tremendous']);
export type GiftProviderName = z.infer<typeof GiftProviderName>;

/**
 * A status report for one gift (`POST /v1/webhooks/gifts`): a provider, a fulfilment service or a relay says
 * the gift reached the recipient or could not be delivered.
 */
export const GiftStatusReport = z
  .object({
    /** the gift's key: the order's external_id */
    giftKey: z.string().min(1).max(200),
    status: z.enum(['delivered', 'failed']),
    providerOrderId: z.string().min(1).max(200).optional(),
    /** why it failed (or a note on the delivery), shown in the run's timeline and `touchpoint gifts list` */
    reason: z.string().min(1).max(500).optional(),
  })
  .strict();
export type GiftStatusReport = z.infer<typeof GiftStatusReport>;

/** The data of the `gift.delivered` / `gift.failed` events a run waiting for its gift receives. */
export const GiftOutcome = z
  .object({ giftKey: z.string().min(1), providerOrderId: z.string().optional(), reason: z.string().optional() })
  .loose();
export type GiftOutcome = z.infer<typeof GiftOutcome>;
