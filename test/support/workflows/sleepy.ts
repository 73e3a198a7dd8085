import { sleep } from '@temporalio/workflow';

/** Sleeps 30 days of workflow time, then reports when it started and woke (workflow clock, ms). */
export async function sleepy(value: string): Promise<{ value: string; startedMs: number; wokeMs: number }> {
  const startedMs = Date.now();
  await sleep('30 days');
  return { value, startedMs, wokeMs: Date.now() };
}
