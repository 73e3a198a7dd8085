import { z } from 'zod';
import { Journey } from './journey';
import { JourneyEvent } from './event';
import { AnswerClass } from './survey';

/** What a run may know of its customer for conditions and time zones (no contact data: it stays in the store). */
export const CustomerSnapshot = z.object({
  locale: z.string(),
  timeZone: z.string(),
  attributes: z.record(z.string(), z.unknown()),
});
export type CustomerSnapshot = z.infer<typeof CustomerSnapshot>;

/** What the router passes to a new run. The journey is a snapshot: edits never change a running run. */
export const JourneyInput = z.object({
  journey: Journey,
  customerId: z.string(),
  customer: CustomerSnapshot,
  key: z.string().optional(),
  trigger: JourneyEvent,
  /** A simulator run (time-skipping test server): no search attributes, which that server cannot index. */
  simulation: z.boolean().optional(),
  /** Continue as new after this many steps in one run (default 500; Temporal may suggest it earlier). */
  continueAsNewAfterSteps: z.number().int().positive().optional(),
  /** Set when a run continues as new: where it was, what it knew, and what it had not yet consumed. */
  resume: z.lazy(() => RunResume).optional(),
});
export type JourneyInput = z.infer<typeof JourneyInput>;

/** One line of a run's timeline; `at` is workflow time (deterministic, ISO-8601). */
export const TimelineEntry = z.object({
  at: z.string(),
  step: z.string().optional(),
  kind: z.enum([
    'started',
    'sent',
    'deferred',
    'skipped',
    'failed',
    'waiting',
    'event',
    'answer',
    'timeout',
    'branch',
    'split',
    'crm',
    'score',
    'gift',
    'coupon',
    'webhook',
    'exit',
    'goal',
    'unsubscribed',
    'completed',
  ]),
  detail: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const RunAnswer = z.object({
  score: z.number(),
  kind: z.string(),
  class: AnswerClass,
  comment: z.string().optional(),
  at: z.string(),
});
export type RunAnswer = z.infer<typeof RunAnswer>;

/** What the `state` query returns and what the run returns when it ends. */
export const RunState = z.object({
  journeyId: z.string(),
  journeyVersion: z.number(),
  customerId: z.string(),
  key: z.string().optional(),
  currentStep: z.string().optional(),
  outcome: z.string().optional(),
  /** The exit or goal event that ended the run early, if one did. */
  endedBy: z
    .object({ kind: z.enum(['exit', 'goal', 'unsubscribed']), eventType: z.string(), eventId: z.string() })
    .optional(),
  /** Values steps computed (split path, scores, ...), readable by later conditions as data.* */
  data: z.record(z.string(), z.unknown()),
  answer: RunAnswer.optional(),
  /** When the run started (workflow time); kept across continue-as-new. */
  startedAt: z.string().optional(),
  /** How often the run continued as new (each keeps the last 500 timeline entries). */
  continuations: z.number().int().optional(),
  /** How often each step has run (loops): later visits get their own side-effect keys. */
  visits: z.record(z.string(), z.number().int()).optional(),
  timeline: z.array(TimelineEntry),
});
export type RunState = z.infer<typeof RunState>;

/**
 * How a run ended, written once when it completes (table run_outcomes): what metrics across runs read,
 * e.g. the win-back rate of treated customers against the holdout.
 */
export const RunOutcome = z.object({
  workflowId: z.string(),
  journeyId: z.string(),
  journeyVersion: z.number().int(),
  customerId: z.string(),
  key: z.string().optional(),
  outcome: z.string(),
  /** Set when an event ended the run early: a goal (e.g. an order in a win-back), an exit, an unsubscribe. */
  endedBy: z.enum(['exit', 'goal', 'unsubscribed']).optional(),
  /** The run took a holdout path of a split: its customer got nothing, to measure lift. */
  holdout: z.boolean(),
  /** The path each split step chose, by step id. */
  paths: z.record(z.string(), z.string()),
  startedAt: z.string(),
  endedAt: z.string(),
});
export type RunOutcome = z.infer<typeof RunOutcome>;

export const RunResume = z.object({
  step: z.string(),
  state: RunState,
  seenEventIds: z.array(z.string()),
  inbox: z.array(JourneyEvent),
});
export type RunResume = z.infer<typeof RunResume>;

export const RunStatus = z.enum(['running', 'completed', 'failed', 'canceled', 'terminated', 'timed_out', 'continued']);
export type RunStatus = z.infer<typeof RunStatus>;
