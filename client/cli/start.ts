import type { EnvConfig } from '../config';
import { startTouchpoint } from '../app';

/** `touchpoint start`: the whole product in the foreground; Ctrl-C stops it cleanly. */
export async function runStart(config: EnvConfig): Promise<void> {
  const log = (line: string) => console.log(line);
  const touchpoint = await startTouchpoint({ config, log });
  log('');
  log('Touchpoint is running.');
  log(`  API and survey pages   ${touchpoint.url}   (links in emails use ${touchpoint.publicUrl})`);
  log(
    `  Inbox (SMTP sink)      ${touchpoint.smtp.sink ? `${touchpoint.url}/v1/inbox   (SMTP on ${touchpoint.smtp.url})` : `sending via ${touchpoint.smtp.url}`}`,
  );
  log(
    `  Temporal               ${touchpoint.temporal.address} namespace ${touchpoint.temporal.namespace}${touchpoint.temporal.embedded ? ' (embedded dev server)' : ''}`,
  );
  if (touchpoint.temporal.uiUrl) log(`  Temporal Web UI        ${touchpoint.temporal.uiUrl}`);
  log(`  Database               ${touchpoint.database}`);
  log('Press Ctrl-C to stop.');

  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: string) => {
      if (stopping) {
        log('Stopping immediately.');
        process.exit(130);
      }
      stopping = true;
      log(`\n${signal}: stopping (running journeys resume on the next start) ...`);
      touchpoint.stop().then(resolve, (error) => {
        console.error(error);
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  log('Stopped.');
}
