import { Option, type Command } from 'commander';
import { RunStatus } from '../../../model/run';
import type { RunDetail, RunSummary } from '../../runs';
import { callApi } from '../api';
import { formatRunDetail, formatRunList } from '../format';
import { print } from '../options';

/** `touchpoint runs list|show` */
export function registerRunsCommands(program: Command): void {
  const runs = program.command('runs').description('find and inspect journey runs');
  runs
    .command('list')
    .description('list journey runs, newest first')
    .option('--journey <id>', 'only runs of this journey')
    .option('--customer <id>', 'only runs of this customer')
    .addOption(new Option('--status <status>', 'only runs in this status').choices(RunStatus.options))
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const query = new URLSearchParams();
      for (const key of ['journey', 'customer', 'status', 'limit'] as const)
        if (options[key]) query.set(key, options[key]);
      const result = await callApi<{ runs: RunSummary[] }>('GET', `/v1/runs?${query}`);
      print(options.json, result.runs, () => formatRunList(result.runs));
    });
  runs
    .command('show <workflowId>')
    .description('show one run: status, answer and its timeline')
    .option('--json', 'print JSON')
    .action(async (workflowId: string, options) => {
      const run = await callApi<RunDetail>(
        'GET',
        `/v1/runs/${workflowId.split('/').map(encodeURIComponent).join('/')}`,
      );
      print(options.json, run, () => formatRunDetail(run));
    });
}
