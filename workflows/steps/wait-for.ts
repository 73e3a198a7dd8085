import { condition } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { WaitForStep } from '../../model/journey';
import type { JourneyEvent } from '../../model/event';
import { takeAnswer } from '../answers';
import type { RunContext, StepResult } from '../run-context';

export async function runWaitFor(ctx: RunContext, step: WaitForStep, fallthrough: StepResult): Promise<StepResult> {
  ctx.record({
    step: step.id,
    kind: 'waiting',
    detail: `waiting up to ${step.timeout} for ${step.events.join(' or ')}`,
  });
  let matched: JourneyEvent | undefined;
  await condition(() => {
    const index = ctx.inbox.findIndex((event) => step.events.includes(event.type));
    if (index >= 0) [matched] = ctx.inbox.splice(index, 1);
    return matched !== undefined || ctx.ended;
  }, step.timeout as Duration); // validated by the journey schema
  if (ctx.ended) return undefined;
  if (!matched) {
    ctx.record({ step: step.id, kind: 'timeout', detail: `no ${step.events.join(' or ')} within ${step.timeout}` });
    return step.onTimeout;
  }
  recordEvent(ctx, step, matched);
  return step.on?.[matched.type] ?? step.onEvent ?? step.next ?? fallthrough;
}

function recordEvent(ctx: RunContext, step: WaitForStep, event: JourneyEvent): void {
  if (event.type === 'survey.answered') {
    takeAnswer(ctx, event, step.id);
    return;
  }
  ctx.record({ step: step.id, kind: 'event', detail: `received ${event.type}`, data: { eventId: event.id } });
}
