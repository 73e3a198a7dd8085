import { createHash } from 'node:crypto';
import { heartbeat } from '@temporalio/activity';
import type { ChurnModel } from '../../model/churn';
import { NO_COUNTS, type ChurnScanCounts } from '../../model/churn-scan';
import type { EventInput } from '../../model/event';
import { scoreChurn } from '../scoring/score-churn';
import type { Stores } from '../store';

/** What routing one event did (the event router's answer, narrowed to what the scan counts). */
export interface RoutedEvent {
  duplicate: boolean;
  started: string[];
  existing: string[];
}
/** Routes an event as `POST /v1/events` does: recorded once by id, starting the journeys it triggers. */
export type RouteEvent = (event: EventInput) => Promise<RoutedEvent>;
/** The anniversary milestones due on a day for some customers (client/milestones.ts). */
export type Anniversaries = (customerIds: string[], asOf: string) => Promise<EventInput[]>;

export interface ScanPageInput {
  asOf: string;
  period: string;
  threshold: number;
  /** Customers enrolled in another period less than this many days before `asOf` are skipped. */
  reenrolAfterDays: number;
  /** The last customer id of the previous page; none for the first page. */
  after?: string;
  limit: number;
  model: ChurnModel;
}

export interface ScanPageResult {
  counts: ChurnScanCounts;
  /** The last customer id read; undefined when the page was empty. */
  last?: string;
  /** Fewer customers than the limit: this was the last page. */
  done: boolean;
}

/**
 * One page of the churn scan: scores the customers after `after` and routes a `churn.risk_detected` event
 * for each one at or above the threshold, and a `milestone.reached` for each anniversary due. The event id is
 * the customer and period, so a retried page (or a second scan in the same period) routes duplicates, which
 * start nothing; a customer enrolled in the previous period within `reenrolAfterDays` is skipped, so a
 * win-back still running at the period boundary is not doubled.
 */
export async function scanChurnPage(
  deps: { stores: Stores; routeEvent: RouteEvent; anniversaries?: Anniversaries },
  input: ScanPageInput,
): Promise<ScanPageResult> {
  const histories = await deps.stores.orders.historiesPage(input.after, input.limit, input.asOf);
  const counts = { ...NO_COUNTS, customers: histories.length };
  // The daily pass over the base also finds the yearly anniversaries due (milestone.reached, ids per year).
  if (deps.anniversaries) {
    const due = await deps.anniversaries(
      histories.map((h) => h.customerId),
      input.asOf,
    );
    for (const event of due) {
      const routed = await deps.routeEvent(event);
      if (!routed.duplicate) counts.anniversaries++;
      heartbeat(event.id);
    }
  }
  const since = new Date(Date.parse(input.asOf) - input.reenrolAfterDays * DAY_MS).toISOString();
  const lastEnrolments = await deps.stores.events.lastStarts(
    'churn.risk_detected',
    histories.map((h) => h.customerId),
    since,
  );
  for (const { customerId, orders } of histories) {
    const score = scoreChurn(input.model, orders, input.asOf);
    if (!score) {
      counts.unscored++;
      continue;
    }
    counts.scored++;
    if (score.risk < input.threshold) continue;
    counts.atRisk++;
    const id = churnEventId(input.period, customerId);
    const last = lastEnrolments.get(customerId);
    if (last && last.id !== id) {
      counts.recentlyEnrolled++;
      continue;
    }
    const routed = await deps.routeEvent({
      id,
      type: 'churn.risk_detected',
      customerId,
      occurredAt: input.asOf,
      data: {
        period: input.period,
        risk: score.risk,
        reasons: score.reasons,
        rfm: score.rfm.code,
        pAlive: score.pAlive,
        clv: score.clv,
      },
    });
    if (routed.started.length) counts.started++;
    else if (routed.duplicate || routed.existing.length) counts.alreadyEnrolled++;
    else counts.notStarted++;
    heartbeat(customerId);
  }
  return { counts, last: histories[histories.length - 1]?.customerId, done: histories.length < input.limit };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `churn:<period>:<customer>`; a digest of the customer id where it would not make a valid event id
 * (longer than 200 characters, or not printable ASCII).
 */
export function churnEventId(period: string, customerId: string): string {
  const id = `churn:${period}:${customerId}`;
  return id.length <= 200 && /^[\x21-\x7e]+$/.test(id)
    ? id
    : `churn:${period}:sha256:${createHash('sha256').update(customerId).digest('hex')}`;
}
