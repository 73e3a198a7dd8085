import type { Command } from 'commander';
import { callApi } from '../api';
import { parseJsonOption, print } from '../options';
import type { ChurnModel, ChurnScore } from '../../../model/churn';
import { registerCustomerImportCommand } from './customers-import';

/** `touchpoint customers upsert` */
export function registerCustomersCommands(program: Command): void {
  const customers = program.command('customers').description('the built-in CRM store');
  customers
    .command('upsert <id>')
    .description('create or update a customer (PUT /v1/customers/:id)')
    .requiredOption('--email <email>', 'email address')
    .option('--name <name>', 'name used in emails')
    .option('--locale <locale>', 'language, e.g. en, de, de-CH')
    .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Berlin')
    .option('--attributes <json>', 'free-form attributes as a JSON object')
    .option('--marketing-consent <consent>', 'granted, soft-opt-in or none (left out: the recorded stand is kept)')
    .action(async (id: string, options) => {
      const body = {
        email: options.email,
        name: options.name,
        locale: options.locale,
        timeZone: options.timeZone,
        attributes: options.attributes ? parseJsonOption('attributes', options.attributes) : undefined,
        consent: options.marketingConsent ? { marketing: options.marketingConsent } : undefined,
      };
      const customer = await callApi<unknown>('PUT', `/v1/customers/${encodeURIComponent(id)}`, body);
      console.log(JSON.stringify(customer, null, 2));
    });
  customers
    .command('score <id>')
    .description(
      "explain a customer's churn risk: orders, RFM, P(alive), CLV, reasons, the model (GET /v1/customers/:id/score)",
    )
    .option('--as-of <datetime>', 'score as of this ISO date-time (default: now)')
    .option('--json', 'print JSON')
    .action(async (id: string, options) => {
      const query = options.asOf ? `?${new URLSearchParams({ asOf: options.asOf })}` : '';
      const result = await callApi<ScoreResponse>('GET', `/v1/customers/${encodeURIComponent(id)}/score${query}`);
      print(options.json, result, () => formatScore(result));
    });
  customers
    .command('show <id>')
    .description('a customer with their email preferences and suppression (GET /v1/customers/:id)')
    .action(async (id: string) => {
      console.log(JSON.stringify(await callApi<unknown>('GET', `/v1/customers/${encodeURIComponent(id)}`), null, 2));
    });
  registerCustomerImportCommand(customers);
}

type ScoreResponse = { customerId: string; asOf: string } & (
  { score: ChurnScore; model: ChurnModel } | { score: null; explanation: string }
);

const day = (iso: string) => iso.slice(0, 10);
const money = (value: number) => value.toFixed(2);

export function formatScore(result: ScoreResponse): string {
  const heading = `Customer ${result.customerId}, as of ${result.asOf}`;
  if (result.score === null) return `${heading}\nNo score: ${result.explanation}`;
  const { score, model } = result;
  const h = score.history;
  const p = model.bgNbd.params;
  const cuts = (values: number[]) => values.map((v) => String(Math.round(v * 100) / 100)).join('/');
  const fit =
    model.bgNbd.source === 'fitted'
      ? `fitted, log-likelihood ${model.bgNbd.logLikelihood?.toFixed(1)}${model.bgNbd.converged ? '' : ', not converged'}`
      : model.bgNbd.source;
  return [
    heading,
    `Churn risk  ${score.risk.toFixed(3)} (${score.method})`,
    'Because',
    ...score.reasons.map((reason) => `  - ${reason}`),
    `Orders      ${h.orders} from ${day(h.firstOrderAt)} to ${day(h.lastOrderAt)} (${Math.floor(h.daysSinceLastOrder)} days ago)` +
      `${h.usualGapDays === null ? '' : `, usually every ${Math.round(h.usualGapDays)} days`}; ` +
      `total ${money(h.total)} ${h.currency}, average ${money(h.averageOrderValue)}`,
    `RFM         ${score.rfm.code} (${score.rfm.segment})`,
    `P(alive)    ${score.pAlive}`,
    `CLV         ${money(score.clv)} ${h.currency} (expected purchases next year ${score.expectedPurchasesNextYear}; ` +
      `margin ${model.settings.margin * 100}%, discount ${model.settings.discountRate * 100}%/year, ${model.settings.clvYears} years)`,
    `Model       as of ${model.asOf}: ${model.customers} customers with orders, ${model.repeatCustomers} repeat buyers`,
    `  BG/NBD    r=${p.r.toFixed(4)} alpha=${p.alpha.toFixed(4)} a=${p.a.toFixed(4)} b=${p.b.toFixed(4)} (weeks; ${fit})`,
    ...(model.bgNbd.note ? [`            ${model.bgNbd.note}`] : []),
    `  RFM cuts  days since last order ${cuts(model.rfm.recencyDays)}; orders ${cuts(model.rfm.frequency)}; spend ${cuts(model.rfm.monetary)}`,
    `  Gap       typical ${Math.round(model.typicalGapDays)} days (${model.typicalGapSource}); overdue from 1x to ${model.settings.gapMultiple}x the gap`,
  ].join('\n');
}
