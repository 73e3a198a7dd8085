import { createHash, timingSafeEqual } from 'node:crypto';
import type { GiftStatusReport } from '../../model/gift-provider';
import type { Stores } from '../../activities/store';
import type { EventRouter, RouteResult } from '../event-router';
import { WebhookUnauthorized } from './ticket-events';

/** The header that carries GIFT_WEBHOOK_SECRET. */
export const GIFT_SECRET_HEADER = 'x-touchpoint-secret';

/** Throws WebhookUnauthorized unless `given` is the configured secret (compared in constant time). */
export function verifyGiftWebhookSecret(secret: string, given: string | undefined): void {
  if (!given) {
    throw new WebhookUnauthorized(
      'missing X-Touchpoint-Secret: send the value of GIFT_WEBHOOK_SECRET in this header with every status report',
    );
  }
  // Hash both sides first: equal-length inputs for timingSafeEqual without revealing the secret's length.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  if (!timingSafeEqual(digest(given.trim()), digest(secret))) {
    throw new WebhookUnauthorized('the X-Touchpoint-Secret header does not match GIFT_WEBHOOK_SECRET');
  }
}

/** The gift the report names does not exist: 404. */
export class GiftNotFound extends Error {
  constructor(readonly giftKey: string) {
    super(`no gift with key "${giftKey}": report the order's external_id, which is the gift's key`);
    this.name = 'GiftNotFound';
  }
}

/** The gift cannot take this report (never ordered, or its budget was given back): 409. */
export class GiftStatusConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GiftStatusConflict';
  }
}

export interface GiftStatusResult {
  giftKey: string;
  status: GiftStatusReport['status'];
  /** the event the run waiting for the gift receives (`duplicate` when this report came before) */
  event: RouteResult;
}

/** Ledger statuses a gift has before it is handed to a provider, or after its budget was given back. */
const NOT_ORDERED = ['awaiting-address', 'ineligible', 'unclaimed', 'released'];

/**
 * Applies a verified status report: the ledger row (and the built-in provider's order, when it has one)
 * takes the status, then `gift.delivered` / `gift.failed` is routed to the customer's runs with the id
 * `gift:<key>:<status>`, so a provider's retry of the same report changes nothing and starts nothing twice.
 * The row is written first: if routing fails, the retry finds the row done and routes again.
 */
export class GiftStatusReports {
  constructor(private readonly deps: { stores: Stores; router: EventRouter }) {}

  async handle(report: GiftStatusReport): Promise<GiftStatusResult> {
    const { stores, router } = this.deps;
    const gift = await stores.gifts.get(report.giftKey);
    if (!gift) throw new GiftNotFound(report.giftKey);
    if (NOT_ORDERED.includes(gift.status)) {
      throw new GiftStatusConflict(
        `gift "${report.giftKey}" is ${gift.status}: it was never ordered or its budget was given back, ` +
          `so it cannot be ${report.status}`,
      );
    }
    // A settled gift stays settled: a late "failed" after "delivered" (or the reverse) changes nothing.
    if ((gift.status === 'delivered' || gift.status === 'failed') && gift.status !== report.status) {
      throw new GiftStatusConflict(
        `gift "${report.giftKey}" is ${gift.status} already, so it cannot be ${report.status}; ` +
          'a provider that changed its mind needs a person to look at the order',
      );
    }
    await stores.giftOrders.settle(report.giftKey, report.status, report.reason);
    await stores.gifts.setStatus(report.giftKey, report.status, {
      reason: report.reason,
      providerOrderId: report.providerOrderId,
    });
    const event = await router.route({
      id: `gift:${report.giftKey}:${report.status}`,
      type: `gift.${report.status}`,
      customerId: gift.customerId,
      data: {
        giftKey: report.giftKey,
        ...(report.providerOrderId && { providerOrderId: report.providerOrderId }),
        ...(report.reason && { reason: report.reason }),
      },
    });
    return { giftKey: report.giftKey, status: report.status, event };
  }
}
