import { z } from 'zod';
import { CustomerId } from './customer';
import { SurveyAnswer } from './survey';
import { GiftRequested } from './gift-request';
import { GiftOutcome, ShippingAddress } from './gift-provider';

/**
 * Every event type Touchpoint understands, with the shape of its `data`.
 * An unknown type is rejected at the door rather than silently ignored.
 */
export const EVENT_DATA = {
  'ticket.solved': z
    .object({
      ticketId: z.string().min(1),
      subject: z.string().optional(),
      team: z.string().optional(),
      agent: z.string().optional(),
      agentEmail: z.email().optional(),
      /** The ticket for agents, e.g. to follow up on an answer; support-system webhooks set it. */
      ticketUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      /** Which support system reported it (zendesk, freshdesk); absent when posted to /v1/events. */
      source: z.string().optional(),
    })
    .loose(),
  'ticket.reopened': z.object({ ticketId: z.string().min(1) }).loose(),
  /** A CRM task a run created was closed (POST /v1/tasks/:key/close): a run waiting for it goes on. */
  'task.closed': z.object({ taskKey: z.string().min(1) }).loose(),
  'order.placed': z
    .object({
      orderId: z.string().min(1),
      amount: z.number().nonnegative(),
      currency: z.string().length(3),
      /** A coupon the order used (e.g. the win-back offer's code): marked as redeemed. */
      couponCode: z.string().min(1).optional(),
    })
    .loose(),
  'customer.deleted': z.object({}).loose(),
  'customer.unsubscribed': z.object({ category: z.enum(['survey', 'marketing']).optional() }).loose(),
  /** Started by the churn scan (or any system that scores churn risk): one per customer and period. */
  'churn.risk_detected': z
    .object({ period: z.string().min(1), risk: z.number().min(0).max(1), reasons: z.array(z.string()).default([]) })
    .loose(),
  /** A customer milestone: the 5th order, a yearly anniversary, lifetime value passing a threshold, ... */
  'milestone.reached': z.object({ milestone: z.string().min(1) }).loose(),
  /** Someone asks for a gift for the customer (POST /v1/gifts/requests, `touchpoint gifts request`). */
  'gift.requested': GiftRequested,
  /** The customer confirmed a physical gift's shipping address (the signed page /g/:token sends it). */
  'gift.address_confirmed': z.object({ giftKey: z.string().min(1), address: ShippingAddress }).loose(),
  /** The gift reached the recipient (POST /v1/webhooks/gifts, or the provider's status on polling). */
  'gift.delivered': GiftOutcome,
  /** The gift could not be delivered; `reason` says why. */
  'gift.failed': GiftOutcome,
  'survey.answered': SurveyAnswer,
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];

export const EventId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** What `POST /v1/events` accepts. */
export const EventInput = z
  .object({
    id: EventId,
    type: z.string().refine((t) => Object.hasOwn(EVENT_DATA, t), {
      error: (issue) => `unknown event type "${String(issue.input)}"; known types: ${EVENT_TYPES.join(', ')}`,
    }),
    customerId: CustomerId,
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .superRefine(
    (event, ctx) => {
      if (!Object.hasOwn(EVENT_DATA, event.type)) return;
      // A missing or non-object `data` is the base schema's problem to report, not this check's.
      if (event.data !== undefined && (typeof event.data !== 'object' || event.data === null)) return;
      const result = EVENT_DATA[event.type as EventType].safeParse(event.data ?? {});
      if (!result.success) {
        for (const issue of result.error.issues) {
          ctx.addIssue({ ...issue, path: ['data', ...issue.path] } as z.core.$ZodRawIssue);
        }
      }
    },
    // Check the type's data even when other fields are wrong too, so one answer names every problem.
    { when: (payload) => typeof (payload.value as { type?: unknown })?.type === 'string' },
  );
export type EventInput = z.infer<typeof EventInput>;

/** An event as the router hands it on (to a starting run, or as a signal to a running one). */
export const JourneyEvent = z.object({
  id: z.string(),
  type: z.string(),
  customerId: z.string(),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type JourneyEvent = z.infer<typeof JourneyEvent>;
