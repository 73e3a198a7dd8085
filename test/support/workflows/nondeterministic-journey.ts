import { sleep } from '@temporalio/workflow';
import type { JourneyInput, RunState } from '../../../model/run';
import { journey as interpreter } from '../../../workflows/journey';

/**
 * The real interpreter with one innocent-looking change that is NOT guarded by `patched()`: a short pause
 * before the first step. Registered under the same workflow type name, `journey`, it must fail to replay
 * every recorded history (test/integration/replay.test.ts proves that the replay test would catch it).
 */
export async function journey(input: JourneyInput): Promise<RunState> {
  await sleep('1 second');
  return interpreter(input);
}
