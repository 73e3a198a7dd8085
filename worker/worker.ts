import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Activities } from '../activities';
import { bundleJourneyWorkflows } from './bundle';
import { installWorkerRuntime } from './runtime';

export interface JourneyWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** A prebuilt bundle (tests share one); bundled on the spot when omitted. */
  workflowBundle?: WorkflowBundleOption;
}

export interface RunningWorker {
  /** Resolves when the worker has stopped; rejects if it crashed. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Starts a worker that runs journey workflows and Touchpoint's activities on one task queue. */
export async function startJourneyWorker(options: JourneyWorkerOptions): Promise<RunningWorker> {
  installWorkerRuntime();
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await bundleJourneyWorkflows()),
    activities: options.activities,
  });
  const done = worker.run().finally(() => connection.close());
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
