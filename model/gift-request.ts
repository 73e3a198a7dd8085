import { z } from 'zod';
import { CustomerId } from './customer';

/** A gift campaign's name, as gift steps and budgets spell it. */
const Campaign = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, e.g. thank-you');

/**
 * The data of a `gift.requested` event: someone asks for a gift for a customer (an admin by hand, or any system
 * that posts the event). The built-in journey gift-request (journeys/gift-request.yaml) starts on it; the gift
 * step's eligibility (consent, cooldown, budget) still decides.
 */
export const GiftRequested = z
  .object({
    /** One run per request: repeating a request id starts nothing new. */
    requestId: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    campaign: Campaign,
    /** Why, for the customer's CRM note and the run's timeline. */
    reason: z.string().trim().min(1, 'say why the customer gets a gift').max(500),
    /** Who asked (an admin's name or email, a system). */
    requestedBy: z.string().trim().min(1).max(200).optional(),
  })
  .loose();
export type GiftRequested = z.infer<typeof GiftRequested>;

/** What `POST /v1/gifts/requests` (and `touchpoint gifts request`) accepts. */
export const GiftRequestInput = z
  .object({
    customerId: CustomerId,
    campaign: Campaign.default('thank-you'),
    reason: GiftRequested.shape.reason,
    requestedBy: GiftRequested.shape.requestedBy,
    /** Optional idempotency key: a retried request with the same id starts nothing twice; new when omitted. */
    requestId: GiftRequested.shape.requestId.optional(),
  })
  .strict();
export type GiftRequestInput = z.infer<typeof GiftRequestInput>;
