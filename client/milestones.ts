import type { EventInput } from '../model/event';
import { DEFAULT_MILESTONE_RULES, milestonesReachedBy, type MilestoneRules } from '../model/milestone';
import type { Order } from '../model/order';
import type { Stores } from '../activities/store';
import { anniversaryEvents, milestoneEvent } from '../activities/milestones/anniversary-events';
import type { EnvConfig } from './config';

/**
 * Turns order histories into `milestone.reached` events. Each event id is `milestone:<customer>:<milestone>`,
 * so routing one twice (a replayed order, the next daily scan) starts nothing new.
 */
export class Milestones {
  constructor(private readonly deps: { stores: Stores; rules: MilestoneRules }) {}

  /** The milestones a just-recorded order reaches (the 5th order, lifetime value passing a threshold). */
  async reachedBy(order: Order): Promise<EventInput[]> {
    const history = await this.deps.stores.orders.ofCustomer(order.customerId);
    return milestonesReachedBy(this.deps.rules, order, history).map((data) =>
      milestoneEvent(order.customerId, order.occurredAt, data),
    );
  }

  /** The yearly anniversaries due on `asOf` for one page of customers (see anniversaryEvents). */
  anniversaries(customerIds: string[], asOf: string): Promise<EventInput[]> {
    return anniversaryEvents(this.deps.stores.db, this.deps.rules.anniversaryGraceDays, customerIds, asOf);
  }
}

/** The milestone rules the configuration describes: the defaults, each part replaceable (or "off"). */
export function milestoneRulesOf(config: EnvConfig): MilestoneRules {
  return {
    orderCounts: config.MILESTONE_ORDER_COUNTS ?? DEFAULT_MILESTONE_RULES.orderCounts,
    lifetimeValues: config.MILESTONE_LIFETIME_VALUES ?? DEFAULT_MILESTONE_RULES.lifetimeValues,
    anniversaryGraceDays: config.MILESTONE_ANNIVERSARY_GRACE_DAYS,
  };
}
