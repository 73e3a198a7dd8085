import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { ScoreResult } from '../../activities/scoring/score';
import type { ScoreStep } from '../../model/journey';
import type { RunContext, StepResult } from '../run-context';

const { score } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/**
 * Computes a named score and keeps it in the run's data, where branches read it as data.<into>; a scorer's
 * reasons (churn-risk) go to data.<into>Reasons and the timeline.
 */
export async function runScore(ctx: RunContext, step: ScoreStep, fallthrough: StepResult): Promise<StepResult> {
  const result: ScoreResult | number | null = await score({
    customerId: ctx.input.customerId,
    scorer: step.scorer,
    asOf: new Date().toISOString(),
  });
  // histories recorded before scores carried reasons hold the bare number
  const { value, reasons } =
    typeof result === 'object' && result !== null ? result : { value: result, reasons: undefined };
  ctx.state.data[step.into] = value;
  if (reasons) ctx.state.data[`${step.into}Reasons`] = reasons;
  const because = reasons?.length ? `: ${reasons.join('; ')}` : '';
  ctx.record({
    step: step.id,
    kind: 'score',
    detail: `${step.scorer} = ${value ?? 'none'} (data.${step.into})${because}`,
    ...(reasons ? { data: { value, reasons } } : {}),
  });
  return step.next ?? fallthrough;
}
