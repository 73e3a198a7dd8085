import { Option, type Command } from 'commander';
import { GiftStatus } from '../../../model/gift';
import type { GiftBudgetUse, GiftList } from '../../../model/gift-report';
import type { RouteResult } from '../../event-router';
import { callApi } from '../api';
import { print } from '../options';
import { formatTable } from '../format';

type GiftRequestResult = RouteResult & { requestId: string };

/** `touchpoint gifts list|budget|request`: the gift ledger, budget use, and a manual gift request. */
export function registerGiftsCommands(program: Command): void {
  const gifts = program.command('gifts').description('thank-you gifts: the ledger, budget use, manual requests');

  gifts
    .command('list')
    .description('gifts newest first (GET /v1/gifts)')
    .option('--campaign <id>', 'only this campaign')
    .addOption(new Option('--status <status>', 'only gifts in this status').choices(GiftStatus.options))
    .option('--customer <id>', "only this customer's gifts")
    .option('--since <date>', 'booked at or after this ISO date/datetime')
    .option('--limit <n>', 'gifts per page (1-500)', '50')
    .option('--cursor <cursor>', 'continue after a previous page (its "next page" cursor)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const query = new URLSearchParams();
      for (const key of ['campaign', 'status', 'customer', 'since', 'limit', 'cursor'] as const) {
        if (options[key]) query.set(key, options[key]);
      }
      const list = await callApi<GiftList>('GET', `/v1/gifts?${query}`);
      print(options.json, list, () => formatGiftList(list));
    });

  gifts
    .command('budget')
    .description(
      'budget use per campaign and period: amount, booked, delivered, released, remaining (GET /v1/gifts/budgets)',
    )
    .option('--campaign <id>', 'only this campaign')
    .option('--period <period>', 'only this period, e.g. 2026-11, 2026-Q4 or 2026')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const query = new URLSearchParams();
      for (const key of ['campaign', 'period'] as const) if (options[key]) query.set(key, options[key]);
      const report = await callApi<{ budgets: GiftBudgetUse[] }>('GET', `/v1/gifts/budgets?${query}`);
      print(options.json, report, () => formatBudgets(report.budgets));
    });

  gifts
    .command('request')
    .description('ask for a gift for a customer: a gift.requested event that starts the gift-request journey')
    .argument('<customer>', 'customer id')
    .requiredOption('--reason <text>', 'why the customer gets a gift (shown in the CRM note and the timeline)')
    .option('--campaign <id>', 'the gift campaign', 'thank-you')
    .option('--requested-by <who>', 'who asks, e.g. your name')
    .option('--request-id <id>', 'idempotency key: repeating it starts nothing new (a new one when omitted)')
    .option('--json', 'print JSON')
    .action(async (customerId: string, options) => {
      const result = await callApi<GiftRequestResult>('POST', '/v1/gifts/requests', {
        customerId,
        campaign: options.campaign,
        reason: options.reason,
        requestedBy: options.requestedBy,
        requestId: options.requestId,
      });
      print(options.json, result, () => formatRequest(result));
    });
}

const money = (amount: number | null, currency: string) => (amount === null ? '—' : `${amount.toFixed(2)} ${currency}`);
const time = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

export function formatGiftList(list: GiftList): string {
  if (list.gifts.length === 0) return 'No gifts match.';
  const rows = [
    ['BOOKED', 'CUSTOMER', 'CAMPAIGN', 'PERIOD', 'PRODUCT', 'COST', 'STATUS', 'REASON'],
    ...list.gifts.map((g) => [
      time(g.createdAt),
      g.customerId,
      g.campaign,
      g.period,
      g.productId ? `${g.productId}${g.kind ? ` (${g.kind})` : ''}` : '',
      money(g.cost, g.currency),
      g.status,
      g.reason ?? '',
    ]),
  ];
  const lines = [formatTable(rows)];
  if (list.nextCursor) lines.push('', `More: touchpoint gifts list --cursor ${list.nextCursor} (same filters)`);
  return lines.join('\n');
}

export function formatBudgets(budgets: GiftBudgetUse[]): string {
  if (budgets.length === 0) return 'No budgets or gifts yet.';
  const rows = [
    ['CAMPAIGN', 'PERIOD', 'BUDGET', 'BOOKED', 'DELIVERED', 'RELEASED', 'REMAINING', 'GIFTS', 'INELIGIBLE'],
    ...budgets.map((b) => [
      b.campaign,
      b.period,
      b.amount === null ? '(no budget row)' : money(b.amount, b.currency),
      money(b.booked, b.currency),
      money(b.delivered, b.currency),
      money(b.released, b.currency),
      money(b.remaining, b.currency),
      String(b.gifts),
      String(b.ineligible),
    ]),
  ];
  return formatTable(rows);
}

function formatRequest(result: GiftRequestResult): string {
  const lines = [
    `Gift request ${result.requestId}${result.duplicate ? ' was already received: nothing done again' : ' accepted'}`,
  ];
  for (const w of result.started) lines.push(`  started  ${w}`);
  for (const w of result.existing) lines.push(`  exists   ${w} (nothing new started)`);
  for (const s of result.skipped) lines.push(`  skipped  ${s.journeyId}: ${s.reason}`);
  if (!result.duplicate && result.started.length + result.existing.length === 0) {
    lines.push('  no journey starts on gift.requested: publish one (journeys/gift-request.yaml is the built-in)');
  }
  return lines.join('\n');
}
