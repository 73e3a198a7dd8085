import { evaluate } from '../../model/condition';
import type { BranchStep } from '../../model/journey';
import type { RunContext, StepResult } from '../run-context';

/** The first case whose condition holds decides the path; none holds → `otherwise`. */
export function runBranch(ctx: RunContext, step: BranchStep): StepResult {
  const index = step.cases.findIndex((c) => evaluate(c.when, ctx.conditionContext));
  const next = index >= 0 ? step.cases[index].next : step.otherwise;
  ctx.record({
    step: step.id,
    kind: 'branch',
    detail: index >= 0 ? `case ${index + 1} holds: to ${next}` : `no case holds: to ${next}`,
  });
  return next;
}
