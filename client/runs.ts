import { Client, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { RunState, RunStatus } from '../model/run';
import { InputError } from '../model/validation';
import { stateQuery } from '../workflows/definitions';
import { CustomerIdKey, JourneyIdKey, JourneyStepKey, JourneyVersionKey } from '../workflows/search-attributes';
import { quote } from './visibility';

export interface RunSummary {
  workflowId: string;
  runId: string;
  journeyId?: string;
  customerId?: string;
  step?: string;
  status: RunStatus;
  startedAt: string;
  closedAt?: string;
}

export interface RunDetail extends RunSummary {
  state?: RunState;
  failure?: string;
}

export class RunNotFound extends Error {
  constructor(readonly workflowId: string) {
    super(`no journey run with workflow id "${workflowId}"`);
    this.name = 'RunNotFound';
  }
}

const STATUS_NAMES: Record<RunStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
  continued: 'ContinuedAsNew',
};
const toStatus = (name: string): RunStatus =>
  (Object.entries(STATUS_NAMES).find(([, v]) => v.toUpperCase() === name.toUpperCase().replace(/_/g, ''))?.[0] ??
    'running') as RunStatus;

/** Finding and inspecting journey runs: the same runs the Temporal Web UI shows. */
export class Runs {
  /** Runs are this deployment's: those on its task queue (several deployments may share a namespace). */
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async list(filter: {
    journey?: string;
    customer?: string;
    status?: RunStatus;
    limit?: number;
  }): Promise<RunSummary[]> {
    const clauses = [`WorkflowType = 'journey'`, `TaskQueue = ${quote(this.taskQueue)}`];
    if (filter.journey) clauses.push(`${JourneyIdKey.name} = ${quote(filter.journey)}`);
    if (filter.customer) clauses.push(`${CustomerIdKey.name} = ${quote(filter.customer)}`);
    if (filter.status) clauses.push(`ExecutionStatus = ${quote(STATUS_NAMES[filter.status])}`);
    // A run that continued as new lives on under the same workflow id: list the chain once.
    else clauses.push(`ExecutionStatus != 'ContinuedAsNew'`);
    const runs: RunSummary[] = [];
    for await (const execution of this.client.workflow.list({ query: clauses.join(' AND ') })) {
      const attributes = execution.typedSearchAttributes;
      runs.push({
        workflowId: execution.workflowId,
        runId: execution.runId,
        journeyId: attributes.get(JourneyIdKey),
        customerId: attributes.get(CustomerIdKey),
        step: attributes.get(JourneyStepKey),
        status: toStatus(execution.status.name),
        startedAt: execution.startTime.toISOString(),
        closedAt: execution.closeTime?.toISOString(),
      });
      if (runs.length >= (filter.limit ?? 100)) break;
    }
    return runs;
  }

  /** How many runs of a journey version are in flight. */
  async countRunning(journeyId: string, version: number): Promise<number> {
    const query = `TaskQueue = ${quote(this.taskQueue)} AND ${JourneyIdKey.name} = ${quote(journeyId)} AND ${JourneyVersionKey.name} = ${version} AND ExecutionStatus = 'Running'`;
    return (await this.client.workflow.count(query)).count;
  }

  async show(workflowId: string): Promise<RunDetail> {
    const handle = this.client.workflow.getHandle(workflowId);
    let description;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new RunNotFound(workflowId);
      throw error;
    }
    if (description.type !== 'journey') {
      throw new InputError([
        { path: 'workflowId', message: `"${workflowId}" is a ${description.type}, not a journey run` },
      ]);
    }
    const attributes = description.typedSearchAttributes;
    const detail: RunDetail = {
      workflowId,
      runId: description.runId,
      journeyId: attributes.get(JourneyIdKey),
      customerId: attributes.get(CustomerIdKey),
      step: attributes.get(JourneyStepKey),
      status: toStatus(description.status.name),
      startedAt: description.startTime.toISOString(),
      closedAt: description.closeTime?.toISOString(),
    };
    if (detail.status === 'running') {
      detail.state = await handle.query(stateQuery);
    } else if (detail.status === 'completed') {
      // A finished run's result is its final state: readable without any worker running.
      detail.state = (await handle.result()) as RunState;
    } else {
      try {
        await handle.result();
      } catch (error) {
        detail.failure =
          error instanceof WorkflowFailedError ? String(error.cause?.message ?? error.message) : String(error);
      }
    }
    return detail;
  }
}
