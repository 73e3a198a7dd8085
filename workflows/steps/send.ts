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
  for (;;) {
    const result = await sendEmail({
      // run + step: the deterministic key that makes a retried send a no-op
      key: ctx.effectKey(step.id),
      workflowId: ctx.workflowId,
      journeyId: journey.id,
      category: step.category ?? journey.category,
      customerId,
      template: step.template,
      data: ctx.state.data,
      survey:
        step.survey && journey.survey
          ? {
              kind: journey.survey.kind,
              linksValidForMs: durationMs(journey.survey.linksValidFor),
              segment: surveySegment(ctx),
              thresholds: journey.survey.thresholds,
            }
          : undefined,
    });
    switch (result.status) {
      case 'sent':
        ctx.record({
          step: step.id,
          kind: 'sent',
          detail: result.unconfirmed
            ? `email "${step.template}" (${result.locale}) to ${result.to}: not sent again, an earlier attempt stopped after handing it to SMTP`
            : `email "${step.template}" (${result.locale}) sent to ${result.to}`,
          data: { messageId: result.messageId, template: step.template, locale: result.locale },
        });
        return step.next ?? fallthrough;
      case 'skipped':
        ctx.record({ step: step.id, kind: 'skipped', detail: `email "${step.template}" skipped: ${result.reason}` });
        return step.onSkipped ?? step.next ?? fallthrough;
      case 'deferred':
        // The policy is asked again when the deferral ends: consent or caps may have changed meanwhile.
        ctx.record({
          step: step.id,
          kind: 'deferred',
          detail: `email "${step.template}" deferred until ${result.until}: ${result.reason}`,
          data: { until: result.until },
        });
        await ctx.sleep(Date.parse(result.until) - Date.now());
        if (ctx.ended) return undefined;
    }
  }
}

/**
 * What a survey's answers are grouped by in metrics: the customer's attributes and the triggering event's
 * data (a ticket's team, agent, ...), plain values only, as they were when the survey went out.
 */
function surveySegment(ctx: RunContext): Record<string, string | number | boolean> {
  const plain = (values: Record<string, unknown>) =>
    Object.entries(values).filter((entry): entry is [string, string | number | boolean] =>
      ['string', 'number', 'boolean'].includes(typeof entry[1]),
    );
  return Object.fromEntries([
    ...plain(ctx.input.customer.attributes),
    ...plain(ctx.input.trigger.data as Record<string, unknown>),
  ]);
}
