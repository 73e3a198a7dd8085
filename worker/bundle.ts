import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** The workflow code, bundled for the worker's sandbox (done once per process, or once per test run). */
export function bundleJourneyWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: { info() {}, warn() {}, debug() {}, trace() {}, error: console.error, log() {} },
  });
}
