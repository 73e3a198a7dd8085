import { z } from 'zod';
import { CustomerId } from './customer';

/** A currency as an ISO 4217 code. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');

/** One purchase in a customer's history: imported in bulk or appended by an `order.placed` event. */
export const Order = z
  .object({
    /** Your shop's order id; unique per customer (a repeat of the same id changes nothing). */
    id: z.string().min(1).max(200),
    customerId: CustomerId,
    occurredAt: z.iso.datetime({ offset: true }),
    amount: z.number().nonnegative(),
    currency: CurrencyCode,
  })
  .strict();
export type Order = z.infer<typeof Order>;

/** Where an order came from. */
export type OrderSource = 'event' | 'import';
