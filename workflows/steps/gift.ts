import { ActivityFailure, ApplicationFailure, condition, patched, proxyActivities } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../../activities';
import type { JourneyEvent } from '../../model/event';
import type { ContactCategory } from '../../model/contact-policy';
import type { GiftData } from '../../model/gift';
import type { ProviderOrder } from '../../model/gift-provider';
import type { GiftStep, SendStep } from '../../model/journey';
import { durationMs } from '../../model/duration';
import type { RunContext, StepResult } from '../run-context';
import { withFailurePath } from './failure-path';
import { runSend } from './send';

const { orderGift } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', maximumInterval: '10 minutes', maximumAttempts: 20 },
});

const { bookGift, requestGiftAddress, giftOrderRequest, recordGiftOrder, releaseGift } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/**
 * Provider calls: a temporary error (rate limit, 5xx, an outage) is retried for the step's `providerTimeout`,
 * a permanent one (the provider refused) is not. An order is looked up by its key before it is placed again.
 * A poll while an order is pending is retried for at most 30 minutes: a failed poll is only a missed look.
 */
function providerCalls(timeoutMs: number) {
  return proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: timeoutMs,
    retry: { initialInterval: '5s', maximumInterval: '10 minutes' },
  });
}
const MAX_POLL_RETRY_MS = 30 * 60 * 1000;
/** Journey snapshots taken before `providerTimeout` existed carry none: theirs is the default. */
const providerTimeoutMs = (step: GiftStep) => durationMs(step.providerTimeout ?? '1d');

/** Runs recorded before the gift ledger ordered a fixed voucher straight away; they replay on that path. */
const LEDGER_PATCH = 'gift-ledger';

/** While an order is pending, the provider is asked again after 1 h, 2 h, 4 h, ... at most a day apart. */
const FIRST_POLL_MS = 60 * 60 * 1000;
const MAX_POLL_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a pending order is waited for before the run goes on with it as it stands. */
const DELIVERY_WAIT_MS = 30 * DAY_MS;

/**
 * A gift: booked on the ledger at send time (eligibility and budget in one transaction), then ordered from
 * the provider; a physical gift first waits for the customer to confirm the shipping address. The gift's
 * details stay in data.gift for the thank-you.
 */
export function runGift(ctx: RunContext, step: GiftStep, fallthrough: StepResult): Promise<StepResult> {
  if (!patched(LEDGER_PATCH)) return withFailurePath(ctx, step, () => fixedVoucher(ctx, step, fallthrough));
  return withFailurePath(ctx, step, () => giveGift(ctx, step, fallthrough));
}

/** A voucher of the step's fixed value, outside the catalog (and the whole step before the ledger). */
async function fixedVoucher(ctx: RunContext, step: GiftStep, fallthrough: StepResult): Promise<StepResult> {
  const gift = await orderGift({
    key: ctx.effectKey(step.id),
    customerId: ctx.input.customerId,
    campaign: step.campaign,
    value: step.value!,
    currency: step.currency!,
  });
  ctx.state.data.gift = { code: gift.code, value: gift.value, currency: gift.currency, campaign: gift.campaign };
  ctx.record({
    step: step.id,
    kind: 'gift',
    detail: `gift ${gift.value} ${gift.currency} (${gift.campaign}) issued: ${gift.code}`,
  });
  return step.next ?? fallthrough;
}

async function giveGift(ctx: RunContext, step: GiftStep, fallthrough: StepResult): Promise<StepResult> {
  const key = ctx.effectKey(step.id);
  const booking = await bookGift({
    key,
    workflowId: ctx.workflowId,
    journeyId: ctx.input.journey.id,
    customerId: ctx.input.customerId,
    campaign: step.campaign,
    fixedVoucher: step.value !== undefined && step.currency !== undefined,
    now: new Date().toISOString(),
  });
  if (booking.status === 'fixed-voucher') return fixedVoucher(ctx, step, fallthrough);
  if (booking.status === 'ineligible') {
    ctx.record({
      step: step.id,
      kind: 'skipped',
      detail: `no gift (campaign ${step.campaign}): ${booking.reason}`,
      data: { giftKey: key, reason: booking.reason, code: booking.code },
    });
    return endOr(ctx, step.onIneligible, 'ineligible');
  }
  const gift: GiftData = booking.gift;
  ctx.state.data.gift = gift;
  ctx.record({
    step: step.id,
    kind: 'gift',
    detail: `booked ${gift.name} (${gift.kind}, ${gift.value} ${gift.currency}, campaign ${gift.campaign})`,
    data: { giftKey: key, productId: gift.productId },
  });

  let order: ProviderOrder;
  try {
    if (gift.kind === 'physical') {
      // Bookings recorded before the consent was returned were all marketing.
      const confirmed = await confirmAddress(ctx, step, gift, booking.consent ?? 'marketing');
      if (confirmed !== 'confirmed')
        return confirmed === 'ended' ? undefined : endOr(ctx, step.onUnclaimed, 'unclaimed');
    }
    order = await providerCalls(providerTimeoutMs(step)).placeGiftOrder(await giftOrderRequest(key));
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const refused = error.cause instanceof ApplicationFailure && error.cause.nonRetryable;
    const cause = error.cause instanceof ApplicationFailure ? error.cause.message : error.message;
    // The provider refused: nothing was ordered, so the booking gives its budget back.
    if (refused) {
      await releaseGift({ key, status: 'failed', reason: cause });
      throw error;
    }
    // A day of temporary errors: an attempt may still have created the order. Only the provider can say.
    const existing = await lookUpOrder(step, key);
    if (existing === 'unknown') {
      const reason = `${cause}; the provider could not say whether the order exists, so its budget stays booked (check the provider for gift ${key})`;
      if (!step.onFailure)
        throw ApplicationFailure.nonRetryable(`gift ${gift.name} not given: ${reason}`, 'GiftFailed');
      ctx.record({ step: step.id, kind: 'failed', detail: `gift not given: ${reason}; taking ${step.onFailure}` });
      return step.onFailure;
    }
    if (!existing) {
      await releaseGift({ key, status: 'failed', reason: cause });
      throw error;
    }
    order = existing;
  }
  await recordGiftOrder({ key, order });
  ctx.record({ step: step.id, kind: 'gift', detail: orderText(gift, order), data: { giftKey: key } });
  if (order.status === 'pending-approval' || order.status === 'executed') {
    ctx.record({
      step: step.id,
      kind: 'waiting',
      detail: `waiting up to ${DELIVERY_WAIT_MS / DAY_MS}d for gift.delivered or gift.failed (asking the provider too)`,
      data: { giftKey: key },
    });
    const settled = await awaitDelivery(ctx, step, key, order);
    if (ctx.ended) return undefined;
    const changed = settled.status !== order.status;
    order = settled;
    if (changed) {
      await recordGiftOrder({ key, order });
      ctx.record({ step: step.id, kind: 'gift', detail: orderText(gift, order), data: { giftKey: key } });
    }
  }
  if (order.status === 'failed' || order.status === 'canceled') {
    const reason = order.failureReason ?? `the order was ${order.status}`;
    if (!step.onFailure) {
      throw ApplicationFailure.nonRetryable(`gift ${gift.name} not given: ${reason}`, 'GiftFailed');
    }
    ctx.record({ step: step.id, kind: 'failed', detail: `gift not given: ${reason}; taking ${step.onFailure}` });
    return step.onFailure;
  }
  // What the address confirmation added (the shipping address) stays.
  ctx.state.data.gift = { ...(ctx.state.data.gift as GiftData), code: order.reward?.code, link: order.reward?.link };
  return step.next ?? fallthrough;
}

/** Goes to `target`, or ends the run with `outcome` when the step names no path. */
function endOr(ctx: RunContext, target: string | undefined, outcome: string): StepResult {
  if (target) return target;
  ctx.state.outcome = outcome;
  return undefined;
}

const SENT = '\u0000sent';
const SKIPPED = '\u0000skipped';

/**
 * Sends the address-request email with a signed link and waits up to `confirmWithin` for the page to report
 * the confirmed address. No address in time: the gift is unclaimed and its budget released.
 */
async function confirmAddress(
  ctx: RunContext,
  step: GiftStep,
  gift: GiftData,
  category: ContactCategory,
): Promise<'confirmed' | 'unclaimed' | 'ended'> {
  const key = gift.key;
  const confirmBy = new Date(Date.now() + durationMs(step.confirmWithin)).toISOString();
  const { link } = await requestGiftAddress({ key, expiresAt: confirmBy });
  ctx.state.data.gift = { ...gift, addressLink: link, confirmBy };
  // The send step's machinery: the contact policy at send time, deferral in quiet hours, the send log.
  const request: SendStep = {
    id: step.id,
    type: 'send',
    channel: 'email',
    template: step.addressTemplate,
    survey: false,
    category,
    next: SENT,
    onSkipped: SKIPPED,
  };
  const sent = await runSend(ctx, request, SENT);
  // The link is for the customer's inbox, not for the run's data that admins and templates read later.
  ctx.state.data.gift = { ...gift, confirmBy };
  if (ctx.ended) {
    await releaseGift({ key, status: 'released', reason: 'the run ended before the address was confirmed' });
    return 'ended';
  }
  if (sent === SKIPPED) {
    const reason = 'the address request could not be sent (see the line above)';
    await releaseGift({ key, status: 'unclaimed', reason });
    ctx.record({ step: step.id, kind: 'skipped', detail: `gift unclaimed: ${reason}; budget released` });
    return 'unclaimed';
  }
  ctx.record({
    step: step.id,
    kind: 'waiting',
    detail: `waiting up to ${step.confirmWithin} for the shipping address`,
    data: { giftKey: key, confirmBy },
  });
  // Until the link expires: a send deferred by quiet hours shortens the wait, it does not outlive the link.
  const event = await takeGiftEvent(
    ctx,
    key,
    ['gift.address_confirmed'],
    Math.max(1, Date.parse(confirmBy) - Date.now()),
  );
  if (ctx.ended) {
    await releaseGift({ key, status: 'released', reason: 'the run ended before the address was confirmed' });
    return 'ended';
  }
  if (!event) {
    const reason = `no shipping address confirmed within ${step.confirmWithin}`;
    await releaseGift({ key, status: 'unclaimed', reason });
    ctx.record({ step: step.id, kind: 'timeout', detail: `gift unclaimed: ${reason}; budget released` });
    return 'unclaimed';
  }
  const { address } = event.data as { address: { city?: string; country?: string } };
  // The thank-you says where it ships.
  ctx.state.data.gift = { ...(ctx.state.data.gift as object), shippingAddress: address };
  ctx.record({
    step: step.id,
    kind: 'event',
    detail: `shipping address confirmed (${address.city ?? '?'}, ${address.country ?? '?'})`,
    data: { eventId: event.id },
  });
  return 'confirmed';
}

/**
 * Waits for the provider to settle a pending order: a gift.delivered / gift.failed event (its webhook), or
 * what getGiftOrder answers at growing intervals, so a lost webhook never leaves the run hanging.
 */
async function awaitDelivery(
  ctx: RunContext,
  step: GiftStep,
  key: string,
  placed: ProviderOrder,
): Promise<ProviderOrder> {
  let order = placed;
  let waited = 0;
  let interval = FIRST_POLL_MS;
  while (waited < DELIVERY_WAIT_MS && (order.status === 'pending-approval' || order.status === 'executed')) {
    const event = await takeGiftEvent(ctx, key, ['gift.delivered', 'gift.failed'], interval);
    if (ctx.ended) return order;
    waited += interval;
    interval = Math.min(interval * 2, MAX_POLL_MS);
    // The provider's own view (the reward link may exist only now); a webhook's verdict wins over a lagging one.
    const looked = await lookUpOrder(step, key);
    if (looked !== 'unknown') order = looked ?? order;
    if (event?.type === 'gift.failed') {
      const reason = (event.data as { reason?: string }).reason;
      return { ...order, status: 'failed', failureReason: reason ?? order.failureReason ?? 'the provider reported it' };
    }
    if (event?.type === 'gift.delivered') return { ...order, status: 'delivered' };
  }
  return order;
}

/** The provider's order for this key, undefined when it has none, 'unknown' when it cannot be asked just now. */
async function lookUpOrder(step: GiftStep, key: string): Promise<ProviderOrder | undefined | 'unknown'> {
  try {
    return await providerCalls(Math.min(providerTimeoutMs(step), MAX_POLL_RETRY_MS)).getGiftOrder(key);
  } catch (error) {
    if (error instanceof ActivityFailure) return 'unknown';
    throw error;
  }
}

/** The next event of these types for this gift (data.giftKey), taken from the run's inbox; undefined on timeout. */
async function takeGiftEvent(
  ctx: RunContext,
  key: string,
  types: string[],
  timeout: Duration,
): Promise<JourneyEvent | undefined> {
  let taken: JourneyEvent | undefined;
  await condition(() => {
    const index = ctx.inbox.findIndex(
      (event) => types.includes(event.type) && (event.data as { giftKey?: unknown }).giftKey === key,
    );
    if (index >= 0) [taken] = ctx.inbox.splice(index, 1);
    return taken !== undefined || ctx.ended;
  }, timeout);
  return taken;
}

function orderText(gift: GiftData, order: ProviderOrder): string {
  const what = {
    'pending-approval': 'ordered, pending approval at the provider',
    executed: 'ordered',
    delivered: 'delivered',
    failed: 'failed',
    canceled: 'canceled',
  }[order.status];
  return `${gift.name} ${what} (${order.provider} order ${order.providerOrderId}${order.failureReason ? `: ${order.failureReason}` : ''})`;
}
