import type { Command } from 'commander';
import type { CrmTask } from '../../../activities/store/crm';
import { callApi } from '../api';
import { print } from '../options';

const line = (t: CrmTask) =>
  `${t.status.padEnd(6)}  due ${t.dueAt}  ${t.assignee ?? '(unassigned)'}  ${t.title}\n        key ${t.key}` +
  (t.description ? `\n        ${t.description}` : '');

/** `touchpoint tasks list|close`: follow-up tasks of the built-in CRM. */
export function registerTasksCommands(program: Command): void {
  const tasks = program
    .command('tasks')
    .description('follow-up tasks that journeys created (e.g. call back a detractor)');
  tasks
    .command('list')
    .description('tasks, newest first')
    .option('--customer <id>', 'only this customer')
    .option('--status <status>', 'open or closed')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const query = new URLSearchParams({
        ...(options.customer ? { customer: options.customer } : {}),
        ...(options.status ? { status: options.status } : {}),
      });
      const result = await callApi<{ tasks: CrmTask[] }>('GET', `/v1/tasks?${query}`);
      print(options.json, result.tasks, () => (result.tasks.length ? result.tasks.map(line).join('\n') : 'no tasks'));
    });
  tasks
    .command('close <key>')
    .description('close a task; the journey run waiting for it goes on')
    .action(async (key: string) => {
      const result = await callApi<{ task: CrmTask; closed: boolean; runSignalled: boolean }>(
        'POST',
        `/v1/tasks/${encodeURIComponent(key)}/close`,
      );
      console.log(
        `${result.closed ? 'closed' : 'was closed already'}: ${result.task.title}` +
          (result.runSignalled ? ` (run ${result.task.workflowId} notified)` : ''),
      );
    });
}
