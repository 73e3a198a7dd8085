import { setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Step } from '../model/journey';
import type { JourneyEvent } from '../model/event';
import type { JourneyInput, RunState } from '../model/run';
import { eventSignal, stateQuery } from './definitions';
import { JourneyStepKey } from './search-attributes';
import type { RunContext, StepResult } from './run-context';
import { runSend } from './steps/send';
import { runWaitFor } from './steps/wait-for';
import { runExit } from './steps/exit';

/**
 * The journey interpreter: runs the definition snapshot it was started with, step by step.
 * Deterministic by construction: time is workflow time, side effects are activities.
 */
export async function journey(input: JourneyInput): Promise<RunState> {
  const { journey: definition } = input;
  const state: RunState = {
    journeyId: definition.id,
    journeyVersion: definition.version,
    customerId: input.customerId,
    key: input.key,
    timeline: [],
  };
  const inbox: JourneyEvent[] = [];
  const seenEvents = new Set<string>([input.trigger.id]);
  const ctx: RunContext = {
    input,
    workflowId: workflowInfo().workflowId,
    state,
    inbox,
    record: (entry) => state.timeline.push({ at: new Date().toISOString(), ...entry }),
  };

  setHandler(stateQuery, () => state);
  setHandler(eventSignal, (event) => {
    // An event delivered twice (a retried signal, a replayed answer) is taken once.
    if (seenEvents.has(event.id)) return;
    seenEvents.add(event.id);
    inbox.push(event);
  });

  ctx.record({
    kind: 'started',
    detail: `journey ${definition.id} v${definition.version} started by ${input.trigger.type} (${input.trigger.id})`,
  });

  const steps = new Map(definition.steps.map((step) => [step.id, step]));
  const following = new Map(definition.steps.map((step, i) => [step.id, definition.steps[i + 1]?.id]));
  let next: StepResult = definition.steps[0]?.id;
  while (next !== undefined) {
    const step = steps.get(next);
    if (!step) throw new Error(`journey ${definition.id} has no step "${next}"`);
    state.currentStep = step.id;
    upsertSearchAttributes([{ key: JourneyStepKey, value: step.id }]);
    next = await runStep(ctx, step, following.get(step.id));
  }

  state.currentStep = undefined;
  ctx.record({ kind: 'completed', detail: `completed: ${state.outcome ?? 'done'}` });
  return state;
}

function runStep(ctx: RunContext, step: Step, fallthrough: StepResult): Promise<StepResult> | StepResult {
  switch (step.type) {
    case 'send':
      return runSend(ctx, step, fallthrough);
    case 'waitFor':
      return runWaitFor(ctx, step, fallthrough);
    case 'exit':
      return runExit(ctx, step);
  }
}
