import type { ExitStep } from '../../model/journey';
import type { RunContext, StepResult } from '../run-context';

export function runExit(ctx: RunContext, step: ExitStep): StepResult {
  ctx.state.outcome = step.outcome;
  return undefined;
}
