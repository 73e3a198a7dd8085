import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/** The SDK's process-wide runtime, installed once with a quieter logger than its INFO default. */
export function installWorkerRuntime(level: LogLevel = 'WARN'): void {
  if (installed) return;
  Runtime.install({ logger: new DefaultLogger(level) });
  installed = true;
}
