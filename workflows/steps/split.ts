import { bucket } from '../../model/bucket';
import type { SplitStep } from '../../model/journey';
import type { RunContext, StepResult } from '../run-context';

/**
 * A weighted split. The customer's bucket is a hash of journey, customer and step, so the same
 * customer takes the same path on every run and every replay (and a holdout stays a holdout).
 */
export function runSplit(ctx: RunContext, step: SplitStep): StepResult {
  const total = step.paths.reduce((sum, p) => sum + p.weight, 0);
  const point = bucket(`${ctx.input.journey.id}/${ctx.input.customerId}/${step.id}`) * total;
  let acc = 0;
  const path = step.paths.find((p) => (acc += p.weight) > point) ?? step.paths[step.paths.length - 1];
  ctx.state.data[step.id] = path.name;
  if (path.holdout) ctx.state.data.holdout = true;
  ctx.record({
    step: step.id,
    kind: 'split',
    detail: `path "${path.name}" (${Math.round((path.weight / total) * 100)}%)${path.holdout ? ', holdout' : ''}`,
    data: { path: path.name, holdout: path.holdout },
  });
  return path.next;
}
