import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { JourneyEvent } from '../model/event';
import type { RunState } from '../model/run';

/** Delivers an event (e.g. `survey.answered`, `ticket.reopened`) to a running journey run. */
export const eventSignal = defineSignal<[JourneyEvent]>('event');

/** The run's current state and timeline. */
export const stateQuery = defineQuery<RunState>('state');
