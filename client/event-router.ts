import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Customer } from '../model/customer';
import { evaluate } from '../model/condition';
import { durationMs } from '../model/duration';
import type { EventInput, JourneyEvent } from '../model/event';
import { journeyWorkflowId, reentryOf, type Journey } from '../model/journey';
import { readPath } from '../model/path';
import type { JourneyInput } from '../model/run';
import { InputError } from '../model/validation';
import type { Stores } from '../activities/store';
import type { StoredEvent } from '../activities/store/events';
import type { Order } from '../model/order';
import type { Milestones } from './milestones';
import { eventSignal } from '../workflows/definitions';
import type { journey as journeyWorkflow } from '../workflows/journey';
import { CustomerIdKey, JourneyIdKey, JourneyVersionKey } from '../workflows/search-attributes';
import { quote } from './visibility';

export interface RouteResult {
  eventId: string;
  /** true when this event id was routed before: nothing was done again */
  duplicate: boolean;
  /** runs this event started */
  started: string[];
  /** runs the event would start but which exist already (same journey, customer and key) */
  existing: string[];
  /** running runs the event was delivered to (exit, goal, or a step waiting for it) */
  signalled: string[];
  /** journeys the event triggers but did not start, and why */
  skipped: { journeyId: string; reason: string }[];
}
type Routing = Omit<RouteResult, 'eventId' | 'duplicate'>;

/**
 * Event in: records the event once (its id is the idempotency key), starts every journey whose trigger
 * matches (deterministic workflow ids, so a repeat starts nothing new), and delivers it to every running
 * run that waits for it or ends on it. Runs are found by their computed id, not by a (lagging) search.
 */
export class EventRouter {
  constructor(
    private readonly deps: {
      client: Client;
      taskQueue: string;
      stores: Stores;
      /** The journeys new runs start on: the newest published version of each. */
      journeys: () => Promise<Journey[]>;
      /** Detects the milestones an order reaches (routed as milestone.reached); none without it. */
      milestones?: Milestones;
    },
  ) {}

  async route(input: EventInput): Promise<RouteResult> {
    const { stores } = this.deps;
    const customer = await stores.customers.get(input.customerId);
    if (!customer) {
      throw new InputError(
        [
          {
            path: 'customerId',
            message: `unknown customer "${input.customerId}"; create it first with PUT /v1/customers/${input.customerId}`,
          },
        ],
        'Unknown customer',
      );
    }
    const { event, isNew } = await stores.events.record({
      id: input.id,
      type: input.type,
      customerId: input.customerId,
      occurredAt: input.occurredAt ?? new Date().toISOString(),
      data: input.data,
    });
    if (event.type === 'order.placed') await this.recordOrder(event);
    if (!isNew && event.routedAt) {
      const previous = event.routing as Routing;
      return {
        eventId: event.id,
        duplicate: true,
        started: [],
        existing: [...previous.started, ...previous.existing],
        signalled: [],
        skipped: [],
      };
    }
    // A new event, or one whose earlier routing was interrupted: starts and deliveries are idempotent.
    const journeyEvent: JourneyEvent = {
      id: event.id,
      type: event.type,
      customerId: event.customerId,
      occurredAt: event.occurredAt,
      data: event.data,
    };
    const routing: Routing = { started: [], existing: [], signalled: [], skipped: [] };
    const journeys = await this.deps.journeys();
    for (const journey of journeys) {
      if (journey.trigger.event === event.type) await this.start(journey, journeyEvent, customer, routing);
    }
    for (const journey of journeys) {
      if (listensTo(journey, journeyEvent)) await this.deliver(journey, journeyEvent, routing);
    }
    // Before marking the order routed: a crash in between routes the milestones again, idempotently.
    if (event.type === 'order.placed' && this.deps.milestones) {
      for (const milestone of await this.deps.milestones.reachedBy(orderOf(event))) {
        // The order's answer names the runs its milestones started too (the milestone event keeps its own routing).
        const reached = await this.route(milestone);
        routing.started.push(...reached.started);
        routing.existing.push(...reached.existing);
      }
    }
    await stores.events.markRouted(event.id, routing);
    return { eventId: event.id, duplicate: false, ...routing };
  }

  /** An order joins the customer's history (and redeems the coupon it used), whatever journeys it concerns. */
  private async recordOrder(event: StoredEvent): Promise<void> {
    const { stores } = this.deps;
    const order = orderOf(event);
    await stores.orders.record(order, 'event');
    const { couponCode } = event.data as { couponCode?: string };
    if (couponCode) await stores.coupons.redeem(event.customerId, couponCode, order.id);
  }

  private async start(journey: Journey, event: JourneyEvent, customer: Customer, routing: Routing): Promise<void> {
    const snapshot = { locale: customer.locale, timeZone: customer.timeZone, attributes: customer.attributes };
    if (journey.trigger.when && !evaluate(journey.trigger.when, { event, customer: snapshot })) {
      routing.skipped.push({ journeyId: journey.id, reason: 'the trigger condition does not hold' });
      return;
    }
    const key = keyOf(journey, event);
    if (journey.trigger.key && key === undefined) {
      routing.skipped.push({ journeyId: journey.id, reason: `the event has no ${journey.trigger.key}` });
      return;
    }
    const reentry = reentryOf(journey);
    const workflowId = journeyWorkflowId(journey, event.customerId, reentry === 'once' ? undefined : key);
    if (typeof reentry === 'object') {
      const lastClosed = await this.lastClose(workflowId);
      const until = lastClosed === undefined ? undefined : lastClosed + durationMs(reentry.cooldown);
      if (until !== undefined && until > Date.now()) {
        routing.skipped.push({ journeyId: journey.id, reason: `cooling down until ${new Date(until).toISOString()}` });
        return;
      }
    }
    const args: JourneyInput = { journey, customerId: event.customerId, customer: snapshot, key, trigger: event };
    try {
      await this.deps.client.workflow.start<typeof journeyWorkflow>('journey', {
        workflowId,
        taskQueue: this.deps.taskQueue,
        args: [args],
        // once / oncePerKey: never again for that id; cooldown: again once the previous run has closed.
        workflowIdReusePolicy: typeof reentry === 'object' ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: JourneyIdKey, value: journey.id },
          { key: JourneyVersionKey, value: journey.version },
          { key: CustomerIdKey, value: event.customerId },
        ],
      });
      routing.started.push(workflowId);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      routing.existing.push(workflowId);
    }
  }

  /** When the last run under this id closed (ms), or undefined if there is none or it is still running. */
  private async lastClose(workflowId: string): Promise<number | undefined> {
    try {
      const description = await this.deps.client.workflow.getHandle(workflowId).describe();
      return description.closeTime?.getTime();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** A gift's address or status goes to the run that booked the gift (the ledger knows it), not by trigger key. */
  private async giftRun(journey: Journey, event: JourneyEvent): Promise<string[] | undefined> {
    const { giftKey } = event.data as { giftKey?: unknown };
    if (!GIFT_STEP_EVENTS.includes(event.type) || typeof giftKey !== 'string') return undefined;
    const gift = await this.deps.stores.gifts.get(giftKey);
    return gift && gift.journeyId === journey.id && gift.customerId === event.customerId ? [gift.workflowId] : [];
  }

  private async deliver(journey: Journey, event: JourneyEvent, routing: Routing): Promise<void> {
    const reentry = reentryOf(journey);
    const key = keyOf(journey, event);
    const targets =
      (await this.giftRun(journey, event)) ??
      (reentry !== 'once' && journey.trigger.key && key === undefined
        ? // A customer-wide event (e.g. customer.deleted) for a keyed journey: every running run of the customer.
          await this.customerRuns(journey.id, event.customerId)
        : [journeyWorkflowId(journey, event.customerId, reentry === 'once' ? undefined : key)]);
    for (const workflowId of targets) {
      if (routing.started.includes(workflowId)) continue;
      try {
        await this.deps.client.workflow.getHandle(workflowId).signal(eventSignal, event);
        routing.signalled.push(workflowId);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error; // no such run running: nothing to deliver to
      }
    }
  }

  /**
   * The customer's runs of a journey: those the search finds running, and those that sent the customer mail
   * (from the send log, which has no indexing lag: a run that just sent the email whose unsubscribe link
   * was clicked is found even when the search has not caught up). Signalling a finished run does nothing.
   */
  private async customerRuns(journeyId: string, customerId: string): Promise<string[]> {
    const [running, mailed] = await Promise.all([
      this.runningRuns(journeyId, customerId),
      this.deps.stores.sendLog.workflowsOf(customerId, journeyId),
    ]);
    return [...new Set([...running, ...mailed])];
  }

  private async runningRuns(journeyId: string, customerId: string): Promise<string[]> {
    const ids: string[] = [];
    const query = `TaskQueue = ${quote(this.deps.taskQueue)} AND ${JourneyIdKey.name} = ${quote(journeyId)} AND ${CustomerIdKey.name} = ${quote(customerId)} AND ExecutionStatus = 'Running'`;
    for await (const run of this.deps.client.workflow.list({ query })) ids.push(run.workflowId);
    return ids;
  }
}

/** An order.placed event as a line of the customer's order history (its data was validated at the door). */
function orderOf(event: StoredEvent): Order {
  const data = event.data as { orderId: string; amount: number; currency: string };
  return {
    id: data.orderId,
    customerId: event.customerId,
    occurredAt: event.occurredAt,
    amount: data.amount,
    currency: data.currency,
  };
}

function keyOf(journey: Journey, event: JourneyEvent): string | undefined {
  if (!journey.trigger.key) return undefined;
  const value = readPath(event, journey.trigger.key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** Whether a running run of this journey may care about an event. */
function listensTo(journey: Journey, event: JourneyEvent): boolean {
  const { type } = event;
  if (type === 'customer.unsubscribed' && journey.category !== 'transactional') {
    // Unsubscribing ends the customer's runs of that category (or of every category when none is named).
    const category = (event.data as { category?: string }).category;
    if (category === undefined || category === journey.category) return true;
  }
  return (
    journey.exit.includes(type) ||
    journey.goal.includes(type) ||
    journey.steps.some((step) => step.type === 'waitFor' && step.events.includes(type)) ||
    (GIFT_STEP_EVENTS.includes(type) && journey.steps.some((step) => step.type === 'gift'))
  );
}

/** What a gift step waits for: the confirmed address of a physical gift, the provider's verdict on an order. */
const GIFT_STEP_EVENTS = ['gift.address_confirmed', 'gift.delivered', 'gift.failed'];
