import {
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Step } from '../model/journey';
import type { JourneyEvent } from '../model/event';
import type { JourneyInput, RunOutcome, RunState } from '../model/run';
import { eventSignal, stateQuery } from './definitions';
import { JourneyStepKey } from './search-attributes';
import { RunContext, type StepResult } from './run-context';
import { takeAnswer } from './answers';
import { runSend } from './steps/send';
import { runWait } from './steps/wait';
import { runWaitFor } from './steps/wait-for';
import { runBranch } from './steps/branch';
import { runSplit } from './steps/split';
import { runExit } from './steps/exit';
import { runCrm } from './steps/crm';
import { runScore } from './steps/score';
import { runGift } from './steps/gift';
import { runCoupon } from './steps/coupon';
import { runWebhook } from './steps/webhook';

/**
 * The journey interpreter: runs the definition snapshot it was started with, step by step.
 * Deterministic by construction: time is workflow time, side effects are activities.
 */
export async function journey(input: JourneyInput): Promise<RunState> {
  const { journey: definition, resume } = input;
  const ctx = new RunContext(
    input,
    workflowInfo().workflowId,
    resume?.state ?? {
      journeyId: definition.id,
      journeyVersion: definition.version,
      customerId: input.customerId,
      key: input.key,
      startedAt: new Date().toISOString(),
      data: {},
      timeline: [],
    },
    resume?.inbox,
  );
  const { state } = ctx;
  const seenEvents = new Set<string>(resume?.seenEventIds ?? [input.trigger.id]);

  setHandler(stateQuery, () => state);
  setHandler(eventSignal, (event) => {
    // An event delivered twice (a retried signal, a replayed answer) is taken once.
    if (seenEvents.has(event.id) || ctx.ended) return;
    seenEvents.add(event.id);
    // Exit and goal events end the run at once, whatever it is doing (waits watch `ctx.ended`).
    const kind = definition.goal.includes(event.type)
      ? 'goal'
      : definition.exit.includes(event.type)
        ? 'exit'
        : unsubscribes(definition, event)
          ? 'unsubscribed'
          : null;
    if (kind) {
      state.endedBy = { kind, eventType: event.type, eventId: event.id };
      ctx.record({ step: state.currentStep, kind, detail: `${kind} event ${event.type} (${event.id})` });
      return;
    }
    // A changed answer (the first one was taken already) updates the run at once, whatever step it is in.
    if (event.type === 'survey.answered' && state.answer) {
      takeAnswer(ctx, event, state.currentStep);
      return;
    }
    ctx.inbox.push(event);
  });

  if (!resume) {
    ctx.record({
      kind: 'started',
      detail: `journey ${definition.id} v${definition.version} started by ${input.trigger.type} (${input.trigger.id})`,
    });
  }

  const steps = new Map(definition.steps.map((step) => [step.id, step]));
  const following = new Map(definition.steps.map((step, i) => [step.id, definition.steps[i + 1]?.id]));
  let next: StepResult = resume?.step ?? definition.steps[0]?.id;
  let stepsThisRun = 0;
  while (next !== undefined && !ctx.ended) {
    // Long-lived runs (loops of waits) continue as new at a step boundary before history grows large:
    // the next run starts at this step with everything this one knew and had not yet consumed.
    if (stepsThisRun >= (input.continueAsNewAfterSteps ?? 500) || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof journey>({
        ...input,
        resume: {
          step: next,
          state: {
            ...state,
            continuations: (state.continuations ?? 0) + 1,
            timeline: state.timeline.slice(-TIMELINE_KEPT),
          },
          seenEventIds: [...seenEvents].slice(-EVENT_IDS_KEPT),
          inbox: ctx.inbox,
        },
      });
    }
    stepsThisRun++;
    state.visits = { ...state.visits, [next]: (state.visits?.[next] ?? 0) + 1 };
    const step = steps.get(next);
    if (!step) throw new Error(`journey ${definition.id} has no step "${next}"`);
    state.currentStep = step.id;
    if (!input.simulation) upsertSearchAttributes([{ key: JourneyStepKey, value: step.id }]);
    next = await runStep(ctx, step, following.get(step.id));
  }

  if (state.endedBy) {
    state.outcome = {
      goal: definition.goalOutcome ?? 'goal',
      exit: 'exited',
      unsubscribed: 'unsubscribed',
    }[state.endedBy.kind];
  }
  state.currentStep = undefined;
  ctx.record({ kind: 'completed', detail: `completed: ${state.outcome ?? 'done'}` });
  // Runs recorded before outcomes were kept replay without the activity.
  if (!input.simulation && patched('record-outcome')) await recordOutcome(outcomeOf(input, state));
  return state;
}

const { recordOutcome } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2s', maximumInterval: '5 minutes' },
});

/** The row metrics read: how the run ended, which split paths it took, whether it was held out. */
function outcomeOf(input: JourneyInput, state: RunState): RunOutcome {
  const paths: Record<string, string> = {};
  for (const step of input.journey.steps) {
    const path = state.data[step.id];
    if (step.type === 'split' && typeof path === 'string') paths[step.id] = path;
  }
  return {
    workflowId: workflowInfo().workflowId,
    journeyId: state.journeyId,
    journeyVersion: state.journeyVersion,
    customerId: state.customerId,
    key: state.key,
    outcome: state.outcome ?? 'done',
    endedBy: state.endedBy?.kind,
    holdout: state.data.holdout === true,
    paths,
    startedAt: state.startedAt ?? workflowInfo().startTime.toISOString(),
    endedAt: new Date().toISOString(),
  };
}

/**
 * Unsubscribing ends the customer's running journeys of that category at once, whatever the journey
 * lists as exits: the contact policy would skip their messages anyway, and a run should not linger.
 */
function unsubscribes(definition: JourneyInput['journey'], event: JourneyEvent): boolean {
  if (event.type !== 'customer.unsubscribed' || definition.category === 'transactional') return false;
  const category = (event.data as { category?: string }).category;
  return category === undefined || category === definition.category;
}

/** What a continued run carries: enough to show recent history and to drop repeated events. */
const TIMELINE_KEPT = 500;
const EVENT_IDS_KEPT = 1000;

function runStep(ctx: RunContext, step: Step, fallthrough: StepResult): Promise<StepResult> | StepResult {
  switch (step.type) {
    case 'send':
      return runSend(ctx, step, fallthrough);
    case 'wait':
      return runWait(ctx, step, fallthrough);
    case 'waitFor':
      return runWaitFor(ctx, step, fallthrough);
    case 'branch':
      return runBranch(ctx, step);
    case 'split':
      return runSplit(ctx, step);
    case 'crm':
      return runCrm(ctx, step, fallthrough);
    case 'score':
      return runScore(ctx, step, fallthrough);
    case 'gift':
      return runGift(ctx, step, fallthrough);
    case 'coupon':
      return runCoupon(ctx, step, fallthrough);
    case 'webhook':
      return runWebhook(ctx, step, fallthrough);
    case 'exit':
      return runExit(ctx, step);
  }
}
