import type { JourneyEvent } from '../model/event';
import type { JourneyInput, RunState, TimelineEntry } from '../model/run';

/** What every step implementation gets: the run's input, its state, and its inbox of events. */
export interface RunContext {
  readonly input: JourneyInput;
  readonly workflowId: string;
  readonly state: RunState;
  /** Events delivered by signal and not yet consumed by a `waitFor`. */
  readonly inbox: JourneyEvent[];
  record(entry: Omit<TimelineEntry, 'at'>): void;
}

/** The id of the step to run next, or undefined when the run ends. */
export type StepResult = string | undefined;
