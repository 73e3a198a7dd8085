import { condition } from '@temporalio/workflow';
import type { JourneyEvent } from '../model/event';
import type { JourneyInput, RunState, TimelineEntry } from '../model/run';

/** What every step implementation gets: the run's input, its state, and its inbox of events. */
export class RunContext {
  /** Events delivered by signal and not yet consumed by a `waitFor`. */
  readonly inbox: JourneyEvent[];

  constructor(
    readonly input: JourneyInput,
    readonly workflowId: string,
    readonly state: RunState,
    inbox: JourneyEvent[] = [],
  ) {
    this.inbox = [...inbox];
  }

  record(entry: Omit<TimelineEntry, 'at'>): void {
    this.state.timeline.push({ at: new Date().toISOString(), ...entry });
  }

  /**
   * The idempotency key of a step's side effect (email Message-ID, CRM note, gift order, webhook call):
   * run + step, and the visit number from the second visit on, so a step in a loop acts once per round
   * and a retry within a round never acts twice.
   */
  effectKey(stepId: string): string {
    const visit = this.state.visits?.[stepId] ?? 1;
    return visit > 1 ? `${this.workflowId}/${stepId}/${visit}` : `${this.workflowId}/${stepId}`;
  }

  /** True once an exit or goal event arrived: every wait ends at once and no further step runs. */
  get ended(): boolean {
    return this.state.endedBy !== undefined;
  }

  /** Sleeps, unless the run ends first. */
  async sleep(ms: number): Promise<void> {
    if (ms > 0) await condition(() => this.ended, ms);
  }

  /** What conditions (trigger.when, branch) can read. */
  get conditionContext(): Record<string, unknown> {
    return {
      event: this.input.trigger,
      customer: this.input.customer,
      data: this.state.data,
      answer: this.state.answer,
    };
  }
}

/** The id of the step to run next, or undefined when the run ends. */
export type StepResult = string | undefined;
