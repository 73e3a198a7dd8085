import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { SendStep } from '../../model/journey';
import { durationMs } from '../../model/duration';
import type { RunContext, StepResult } from '../run-context';
import { withFailurePath } from './failure-path';

const { sendEmail } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 },
});

export function runSend(ctx: RunContext, step: SendStep, fallthrough: StepResult): Promise<StepResult> {
  return withFailurePath(ctx, step, () => send(ctx, step, fallthrough));
}

async function send(ctx: RunContext, step: SendStep, fallthrough: StepResult): Promise<StepResult> {
  const { journey, customerId } = ctx.input;
  const result = await sendEmail({
    // run + step: the deterministic key that makes a retried send a no-op
    key: ctx.effectKey(step.id),
    workflowId: ctx.workflowId,
    journeyId: journey.id,
    category: journey.category,
    customerId,
    template: step.template,
    data: ctx.state.data,
    survey:
      step.survey && journey.survey
        ? { kind: journey.survey.kind, linksValidForMs: durationMs(journey.survey.linksValidFor) }
        : undefined,
  });
  if (result.status === 'sent') {
    ctx.record({
      step: step.id,
      kind: 'sent',
      detail: `email "${step.template}" (${result.locale}) sent to ${result.to}`,
      data: { messageId: result.messageId, template: step.template, locale: result.locale },
    });
  } else {
    ctx.record({ step: step.id, kind: 'skipped', detail: `email "${step.template}" skipped: ${result.reason}` });
  }
  return step.next ?? fallthrough;
}
