import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { journeyWorkflowId, reentryOf } from '../../model/journey';
import type { JourneyInput } from '../../model/run';
import { installWorkerRuntime } from '../../worker/runtime';

/**
 * Replays the recorded histories of the built-in journeys (scripts/record-histories.ts) against the current
 * workflow code. A failure means an interpreter change would break runs in flight: guard the change with
 * `patched()` instead of re-recording (see the comment at the top of scripts/record-histories.ts).
 */
const HISTORIES_DIR = path.resolve(__dirname, '../histories');

function historyFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return historyFiles(file);
      return entry.isFile() && entry.name.endsWith('.json') ? [file] : [];
    })
    .sort();
}

const files = historyFiles(HISTORIES_DIR).map((file) => ({
  name: path.relative(HISTORIES_DIR, file).replace(/\.json$/, ''),
  file,
}));
const loadHistory = (file: string) => historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));

/**
 * The workflow id the run was recorded under (the interpreter reads it: `workflowInfo().workflowId`), computed
 * from the run's input as the event router computes it; a history file does not carry it.
 */
function workflowIdOf(history: History): string {
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error('the history does not start with a WorkflowExecutionStarted event with an input');
  const input = defaultPayloadConverter.fromPayload<JourneyInput>(payload);
  return journeyWorkflowId(
    input.journey,
    input.customerId,
    reentryOf(input.journey) === 'once' ? undefined : input.key,
  );
}

function prebuiltBundle(): { codePath: string } {
  const codePath = process.env.TOUCHPOINT_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('run the tests through jest: its global setup builds the workflow bundle');
  return { codePath };
}

beforeAll(() => installWorkerRuntime());

describe('recorded histories replay against the current workflow code', () => {
  it('has recorded histories to replay', () => {
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'survey-after-contact/answered',
        'survey-after-contact/exited',
        'survey-after-contact/no-response',
      ]),
    );
  });

  it.each(files)('$name', async ({ file }) => {
    const history = loadHistory(file);
    // Throws the replay error (a DeterminismViolationError names the mismatching command) on failure.
    await Worker.runReplayHistory({ workflowBundle: prebuiltBundle() }, history, workflowIdOf(history));
  });
});

describe('the replay test catches a non-deterministic interpreter change', () => {
  it('fails to replay a recorded history against an unguarded change to `journey`', async () => {
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../support/workflows/nondeterministic-journey'),
      logger: { info() {}, warn() {}, debug() {}, trace() {}, error: console.error, log() {} },
    });
    const history = loadHistory(files.find((f) => f.name === 'survey-after-contact/answered')!.file);
    const replay = Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowIdOf(history));
    await expect(replay).rejects.toThrow(DeterminismViolationError);
  });
});
