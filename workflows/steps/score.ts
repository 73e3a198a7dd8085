import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { ScoreStep } from '../../model/journey';
import type { RunContext, StepResult } from '../run-context';

const { score } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/** Computes a named score and keeps it in the run's data, where branches read it as data.<into>. */
export async function runScore(ctx: RunContext, step: ScoreStep, fallthrough: StepResult): Promise<StepResult> {
  const value = await score({ customerId: ctx.input.customerId, scorer: step.scorer, asOf: new Date().toISOString() });
  ctx.state.data[step.into] = value;
  ctx.record({ step: step.id, kind: 'score', detail: `${step.scorer} = ${value ?? 'none'} (data.${step.into})` });
  return step.next ?? fallthrough;
}
