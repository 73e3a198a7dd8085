import { Command, CommanderError } from 'commander';
import { ConfigError, parseEnvConfig } from '../config';
import { CliError } from './api';
import { registerCustomersCommands } from './commands/customers';
import { registerEventsCommands } from './commands/events';
import { registerJourneysCommands } from './commands/journeys';
import { registerMetricsCommands } from './commands/metrics';
import { registerGiftsCommands } from './commands/gifts';
import { registerRunsCommands } from './commands/runs';
import { registerTemplatesCommands } from './commands/templates';
import { registerSuppressionsCommands } from './commands/suppressions';
import { registerTasksCommands } from './commands/tasks';
import { registerChurnScanCommands } from './commands/churn-scan';

const program = new Command('touchpoint')
  .description('Touchpoint: customer journeys (surveys, win-back, thank-you gifts) as durable Temporal workflows')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('start')
  .description(
    'start Touchpoint on its embedded defaults (Temporal dev server, PGlite, SMTP sink) or on what the environment configures',
  )
  .action(async () => {
    // Loaded on demand: the other commands only talk HTTP and should not load the worker.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runStart } = require('./start') as typeof import('./start');
    await runStart(parseEnvConfig(process.env));
  });

registerEventsCommands(program);
registerRunsCommands(program);
registerJourneysCommands(program);
registerCustomersCommands(program);
registerTemplatesCommands(program);
registerSuppressionsCommands(program);
registerTasksCommands(program);
registerMetricsCommands(program);
registerChurnScanCommands(program);
registerGiftsCommands(program);

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError) {
      console.error(`touchpoint: ${error.message}`);
      for (const problem of error.problems) {
        console.error(`  ${problem.line ? `line ${problem.line}  ` : ''}${problem.path}: ${problem.message}`);
      }
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    console.error(error);
    return 1;
  }
}

main(process.argv).then((code) => {
  if (code !== 0) process.exit(code);
});
