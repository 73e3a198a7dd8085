import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { CrmStep } from '../../model/journey';
import type { RunContext, StepResult } from '../run-context';
import { withFailurePath } from './failure-path';

const { applyCrm } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2s', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

export function runCrm(ctx: RunContext, step: CrmStep, fallthrough: StepResult): Promise<StepResult> {
  return withFailurePath(ctx, step, async () => {
    const result = await applyCrm({
      key: ctx.effectKey(step.id),
      workflowId: ctx.workflowId,
      customerId: ctx.input.customerId,
      update: step.update,
      note: step.note,
      task: step.task,
      context: { ...ctx.conditionContext, customerId: ctx.input.customerId },
      now: new Date().toISOString(),
    });
    const parts = [
      result.updated.length ? `updated ${result.updated.join(', ')}` : '',
      result.noteText ? `note "${result.noteText}"` : result.note ? 'added a note' : '',
      result.task
        ? `task "${result.task.title}"${result.task.assignee ? ` for ${result.task.assignee}` : ''} due ${result.task.dueAt}`
        : '',
    ].filter(Boolean);
    ctx.record({
      step: step.id,
      kind: 'crm',
      detail: `CRM: ${parts.join('; ')}`,
      data: result.task ? { taskKey: result.task.key, dueAt: result.task.dueAt } : undefined,
    });
    return step.next ?? fallthrough;
  });
}
