import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { WebhookStep } from '../../model/journey';
import type { RunContext, StepResult } from '../run-context';
import { withFailurePath } from './failure-path';

const { callWebhook } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
});

/** Calls an HTTP endpoint with the run's data (retried with backoff; the run + step key is its Idempotency-Key). */
export function runWebhook(ctx: RunContext, step: WebhookStep, fallthrough: StepResult): Promise<StepResult> {
  return withFailurePath(ctx, step, async () => {
    const context = { ...ctx.conditionContext, customerId: ctx.input.customerId, journeyId: ctx.input.journey.id };
    const result = await callWebhook({
      key: ctx.effectKey(step.id),
      url: step.url,
      method: step.method,
      body: step.body,
      context,
    });
    ctx.record({
      step: step.id,
      kind: 'webhook',
      detail: `${step.method} ${step.url}: ${result.dryRun ? 'dry run, not called' : result.status}`,
    });
    return step.next ?? fallthrough;
  });
}
