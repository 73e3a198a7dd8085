import type { Command } from 'commander';
import type { Suppression } from '../../../activities/store/suppressions';
import { callApi } from '../api';
import { print } from '../options';

const path = (email: string) => `/v1/suppressions/${encodeURIComponent(email)}`;
const line = (s: Suppression) => `${s.email}  ${s.reason}  ${s.createdAt}  (${s.source})${s.note ? `  ${s.note}` : ''}`;

/** `touchpoint suppressions list|add|remove`: addresses no survey or marketing mail goes to. */
export function registerSuppressionsCommands(program: Command): void {
  const suppressions = program
    .command('suppressions')
    .description('the suppression list: no survey or marketing mail to these addresses (transactional still goes)');
  suppressions
    .command('list')
    .description('list suppressed addresses, newest first')
    .option('--reason <reason>', 'only hard-bounce, complaint or manual')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const query = new URLSearchParams({
        limit: options.limit,
        ...(options.reason ? { reason: options.reason } : {}),
      });
      const result = await callApi<{ suppressions: Suppression[] }>('GET', `/v1/suppressions?${query}`);
      print(options.json, result.suppressions, () =>
        result.suppressions.length ? result.suppressions.map(line).join('\n') : 'no suppressed addresses',
      );
    });
  suppressions
    .command('add <email>')
    .description('suppress an address')
    .option('--reason <reason>', 'hard-bounce, complaint or manual', 'manual')
    .option('--note <text>', 'why, for the next admin')
    .action(async (email: string, options) => {
      const suppression = await callApi<Suppression>('PUT', path(email), {
        reason: options.reason,
        note: options.note,
      });
      console.log(`suppressed: ${line(suppression)}`);
    });
  suppressions
    .command('remove <email>')
    .description('take an address off the list')
    .action(async (email: string) => {
      await callApi('DELETE', path(email));
      console.log(`${email} is no longer suppressed`);
    });
}
