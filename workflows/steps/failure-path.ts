import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { RunContext, StepResult } from '../run-context';

/**
 * Runs a step's side effect; when it fails for good (retries exhausted or refused) and the step has an
 * `onFailure` path, the run records why and takes that path instead of failing.
 */
export async function withFailurePath(
  ctx: RunContext,
  step: { id: string; onFailure?: string },
  work: () => Promise<StepResult>,
): Promise<StepResult> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ActivityFailure) || !step.onFailure) throw error;
    const cause =
      error.cause instanceof ApplicationFailure ? error.cause.message : String(error.cause ?? error.message);
    ctx.record({ step: step.id, kind: 'failed', detail: `failed: ${cause}; taking ${step.onFailure}` });
    return step.onFailure;
  }
}
