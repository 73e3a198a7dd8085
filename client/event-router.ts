import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { EventInput, JourneyEvent } from '../model/event';
import { journeyWorkflowId, readPath } from '../model/journey';
import type { JourneyInput } from '../model/run';
import { InputError } from '../model/validation';
import type { Stores } from '../activities/store';
import type { journey as journeyWorkflow } from '../workflows/journey';
import { CustomerIdKey, JourneyIdKey, JourneyVersionKey } from '../workflows/search-attributes';
import type { JourneyCatalog } from './journey-catalog';

export interface RouteResult {
  eventId: string;
  /** true when this event id was routed before: nothing was done again */
  duplicate: boolean;
  /** runs this event started */
  started: string[];
  /** runs the event would start but which exist already (same journey, customer and key) */
  existing: string[];
}

/**
 * Event in: records the event once (its id is the idempotency key), then starts every journey whose
 * trigger matches, with a deterministic workflow id so that a repeat starts nothing new.
 */
export class EventRouter {
  constructor(private readonly deps: { client: Client; taskQueue: string; stores: Stores; catalog: JourneyCatalog }) {}

  async route(input: EventInput): Promise<RouteResult> {
    const { stores } = this.deps;
    if (!(await stores.customers.get(input.customerId))) {
      throw new InputError(
        [
          {
            path: 'customerId',
            message: `unknown customer "${input.customerId}"; create it first with PUT /v1/customers/${input.customerId}`,
          },
        ],
        'Unknown customer',
      );
    }
    const { event, isNew } = await stores.events.record({
      id: input.id,
      type: input.type,
      customerId: input.customerId,
      occurredAt: input.occurredAt ?? new Date().toISOString(),
      data: input.data,
    });
    if (!isNew && event.routedAt) {
      const previous = event.routing as Omit<RouteResult, 'duplicate' | 'eventId'>;
      return { eventId: event.id, duplicate: true, started: [], existing: [...previous.started, ...previous.existing] };
    }
    // A new event, or one whose earlier routing was interrupted: starts are idempotent, so route (again).
    const journeyEvent: JourneyEvent = {
      id: event.id,
      type: event.type,
      customerId: event.customerId,
      occurredAt: event.occurredAt,
      data: event.data,
    };
    const started: string[] = [];
    const existing: string[] = [];
    for (const journey of this.deps.catalog.triggeredBy(event.type)) {
      const keyValue = journey.trigger.key ? readPath(journeyEvent, journey.trigger.key) : undefined;
      if (journey.trigger.key && (keyValue === undefined || keyValue === null || keyValue === '')) continue;
      const key = keyValue === undefined ? undefined : String(keyValue);
      const workflowId = journeyWorkflowId(journey, event.customerId, key);
      const args: JourneyInput = { journey, customerId: event.customerId, key, trigger: journeyEvent };
      try {
        await this.deps.client.workflow.start<typeof journeyWorkflow>('journey', {
          workflowId,
          taskQueue: this.deps.taskQueue,
          args: [args],
          // One run per journey, customer and key, ever: a re-solved ticket is not surveyed twice.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: JourneyIdKey, value: journey.id },
            { key: JourneyVersionKey, value: journey.version },
            { key: CustomerIdKey, value: event.customerId },
          ],
        });
        started.push(workflowId);
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        existing.push(workflowId);
      }
    }
    await stores.events.markRouted(event.id, { started, existing });
    return { eventId: event.id, duplicate: false, started, existing };
  }
}
