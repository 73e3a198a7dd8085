import type { EventInput } from '../../model/event';
import { anniversaryDue, milestoneEventId, type MilestoneData } from '../../model/milestone';
import { CustomerSince } from '../store/customer-since';
import type { Queryable } from '../store/database';

/** A `milestone.reached` event with the deterministic id `milestone:<customer>:<milestone>`. */
export function milestoneEvent(customerId: string, occurredAt: string, data: MilestoneData): EventInput {
  return { id: milestoneEventId(customerId, data.milestone), type: 'milestone.reached', customerId, occurredAt, data };
}

/**
 * The yearly anniversaries due on `asOf` for one page of customers, as events to route: the latest whole year
 * since the first order (else since the customer was created), if it was at most `graceDays` days ago. The
 * daily churn scan routes them page by page; routing them on each day of the grace period is safe, as the
 * event id repeats.
 */
export async function anniversaryEvents(
  db: Queryable,
  graceDays: number,
  customerIds: string[],
  asOf: string,
): Promise<EventInput[]> {
  const since = await new CustomerSince(db).of(customerIds);
  const events: EventInput[] = [];
  for (const customerId of customerIds) {
    const date = since.get(customerId);
    const due = date && anniversaryDue(date, asOf, graceDays);
    if (due) events.push(milestoneEvent(customerId, asOf, due));
  }
  return events;
}
