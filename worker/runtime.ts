import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/**
 * The SDK's process-wide runtime, installed once, with a quieter logger than its INFO default for
 * both the TypeScript side and the native core (whose own filter defaults to WARN).
 */
export function installWorkerRuntime(level: LogLevel = 'WARN'): void {
  if (installed) return;
  Runtime.install({
    logger: new DefaultLogger(level),
    telemetryOptions: { logging: { filter: { core: level, other: 'ERROR' }, forward: {} } },
  });
  installed = true;
}
