import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { RouteResult } from '../../event-router';
import { callApi } from '../api';
import { parseJsonOption, print } from '../options';

/** `touchpoint events send` */
export function registerEventsCommands(program: Command): void {
  const events = program.command('events').description('send events that start and steer journeys');
  events
    .command('send')
    .description('send one event to the running Touchpoint (POST /v1/events)')
    .requiredOption('--type <type>', 'event type, e.g. ticket.solved')
    .requiredOption('--customer <id>', 'customer id')
    .option('--data <json>', 'event data as a JSON object', '{}')
    .option('--id <id>', 'event id (the idempotency key); a new one when omitted')
    .option('--occurred-at <iso>', 'when it happened (ISO-8601); now when omitted')
    .option('--json', 'print the API answer as JSON')
    .action(async (options) => {
      const data = parseJsonOption('data', options.data);
      const id = options.id ?? randomUUID();
      const result = await callApi<RouteResult>('POST', '/v1/events', {
        id,
        type: options.type,
        customerId: options.customer,
        occurredAt: options.occurredAt,
        data,
      });
      print(options.json, result, () => {
        const lines = [
          `Event ${result.eventId}${result.duplicate ? ' was already received: nothing done again' : ' accepted'}`,
        ];
        for (const w of result.started) lines.push(`  started  ${w}`);
        for (const w of result.existing) lines.push(`  exists   ${w} (nothing new started)`);
        for (const w of result.signalled) lines.push(`  told     ${w} (a running run that waits for or ends on it)`);
        if (!result.duplicate && result.started.length + result.existing.length === 0)
          lines.push('  no journey starts on this event');
        return lines.join('\n');
      });
    });
}
