import type { EventInput } from '../model/event';
import type { EnvConfig } from './config';
import {
  anniversaryDue,
  DEFAULT_MILESTONE_RULES,
  milestoneEventId,
  milestonesReachedBy,
  type MilestoneData,
  type MilestoneRules,
} from '../model/milestone';
import type { Order } from '../model/order';
import type { Stores } from '../activities/store';
import { CustomerSince } from '../activities/store/customer-since';

/**
 * Turns order histories into `milestone.reached` events. Each event id is `milestone:<customer>:<milestone>`,
 * so routing one twice (a replayed order, the next daily scan) starts nothing new.
 */
export class Milestones {
  private readonly since: CustomerSince;

  constructor(private readonly deps: { stores: Stores; rules: MilestoneRules }) {
    this.since = new CustomerSince(deps.stores.db);
  }

  /** The milestones a just-recorded order reaches (the 5th order, lifetime value passing a threshold). */
  async reachedBy(order: Order): Promise<EventInput[]> {
    const history = await this.deps.stores.orders.ofCustomer(order.customerId);
    return milestonesReachedBy(this.deps.rules, order, history).map((data) =>
      milestoneEvent(order.customerId, order.occurredAt, data),
    );
  }

  /**
   * The yearly anniversaries due on `asOf` for one page of customers, for the daily scan to route: the
   * latest whole year since the first order (else since the customer was created), if it was at most
   * the grace days ago. Routing them every day of the grace period is safe: the event id repeats.
   */
  async anniversaries(customerIds: string[], asOf: string): Promise<EventInput[]> {
    const since = await this.since.of(customerIds);
    const events: EventInput[] = [];
    for (const [customerId, date] of since) {
      const due = anniversaryDue(date, asOf, this.deps.rules.anniversaryGraceDays);
      if (due) events.push(milestoneEvent(customerId, asOf, due));
    }
    return events;
  }
}

function milestoneEvent(customerId: string, occurredAt: string, data: MilestoneData): EventInput {
  return {
    id: milestoneEventId(customerId, data.milestone),
    type: 'milestone.reached',
    customerId,
    occurredAt,
    data,
  };
}

/** The milestone rules the configuration describes: the defaults, each part replaceable (or "off"). */
export function milestoneRulesOf(config: EnvConfig): MilestoneRules {
  return {
    orderCounts: config.MILESTONE_ORDER_COUNTS ?? DEFAULT_MILESTONE_RULES.orderCounts,
    lifetimeValues: config.MILESTONE_LIFETIME_VALUES ?? DEFAULT_MILESTONE_RULES.lifetimeValues,
    anniversaryGraceDays: config.MILESTONE_ANNIVERSARY_GRACE_DAYS,
  };
}
