import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { durationMs } from '../../model/duration';
import type { CouponStep } from '../../model/journey';
import type { RunContext, StepResult } from '../run-context';
import { withFailurePath } from './failure-path';

const { issueCoupon } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2s', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/** Issues a personal coupon code (once per run and step) and keeps it in data.coupon for the next message. */
export function runCoupon(ctx: RunContext, step: CouponStep, fallthrough: StepResult): Promise<StepResult> {
  return withFailurePath(ctx, step, async () => {
    const coupon = await issueCoupon({
      key: ctx.effectKey(step.id),
      customerId: ctx.input.customerId,
      campaign: step.campaign,
      percentOff: step.percentOff,
      amountOff: step.amountOff,
      currency: step.currency,
      expiresAt: new Date(Date.now() + durationMs(step.validFor)).toISOString(),
    });
    ctx.state.data.coupon = {
      code: coupon.code,
      campaign: coupon.campaign,
      // null rather than absent, so templates can test either kind ({{#if data.coupon.percentOff}}).
      percentOff: coupon.percentOff ?? null,
      amountOff: coupon.amountOff ?? null,
      currency: coupon.currency ?? null,
      expiresAt: coupon.expiresAt,
    };
    const off =
      coupon.percentOff !== undefined ? `${coupon.percentOff}% off` : `${coupon.amountOff} ${coupon.currency} off`;
    ctx.record({
      step: step.id,
      kind: 'coupon',
      detail: `coupon ${coupon.code} (${off}, ${coupon.campaign}) valid until ${coupon.expiresAt}`,
    });
    return step.next ?? fallthrough;
  });
}
