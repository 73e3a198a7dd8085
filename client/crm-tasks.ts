import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Stores } from '../activities/store';
import type { CrmTask } from '../activities/store/crm';
import type { JourneyEvent } from '../model/event';
import { eventSignal } from '../workflows/definitions';

export class TaskNotFound extends Error {
  constructor(readonly key: string) {
    super(`no CRM task "${key}"; list them with GET /v1/tasks or \`touchpoint tasks list\``);
    this.name = 'TaskNotFound';
  }
}

/**
 * Follow-up tasks in the built-in CRM. Closing one tells the run that created it (a `task.closed` event),
 * so a journey waiting for the follow-up goes on at once instead of escalating.
 */
export class CrmTasks {
  constructor(private readonly deps: { client: Client; stores: Stores }) {}

  list(filter: { customerId?: string; status?: 'open' | 'closed'; limit?: number }): Promise<CrmTask[]> {
    return this.deps.stores.crm.listTasks(filter);
  }

  /** Closes the task (once) and signals its run; closing it again changes nothing. */
  async close(key: string): Promise<{ task: CrmTask; closed: boolean; runSignalled: boolean }> {
    const result = await this.deps.stores.crm.closeTask(key);
    if (!result) throw new TaskNotFound(key);
    const { task } = result;
    const event: JourneyEvent = {
      // one event per task: a repeated close is the same event, which the run takes once
      id: `task-closed:${task.key}`,
      type: 'task.closed',
      customerId: task.customerId,
      occurredAt: task.closedAt ?? new Date().toISOString(),
      data: { taskKey: task.key, title: task.title },
    };
    await this.deps.stores.events.record(event);
    let runSignalled = false;
    if (task.workflowId) {
      try {
        await this.deps.client.workflow.getHandle(task.workflowId).signal(eventSignal, event);
        runSignalled = true;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error; // the run is over: nothing waits for it
      }
    }
    return { task, closed: result.closed, runSignalled };
  }
}
