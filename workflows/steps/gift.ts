import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { GiftStep } from '../../model/journey';
import type { RunContext, StepResult } from '../run-context';
import { withFailurePath } from './failure-path';

const { orderGift } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', maximumInterval: '10 minutes', maximumAttempts: 20 },
});

/** Orders a gift (idempotent per run and step) and keeps it in data.gift for the thank-you message. */
export function runGift(ctx: RunContext, step: GiftStep, fallthrough: StepResult): Promise<StepResult> {
  return withFailurePath(ctx, step, async () => {
    const gift = await orderGift({
      key: ctx.effectKey(step.id),
      customerId: ctx.input.customerId,
      campaign: step.campaign,
      value: step.value,
      currency: step.currency,
    });
    ctx.state.data.gift = { code: gift.code, value: gift.value, currency: gift.currency, campaign: gift.campaign };
    ctx.record({
      step: step.id,
      kind: 'gift',
      detail: `gift ${gift.value} ${gift.currency} (${gift.campaign}) issued: ${gift.code}`,
    });
    return step.next ?? fallthrough;
  });
}
