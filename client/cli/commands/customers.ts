import type { Command } from 'commander';
import { callApi } from '../api';
import { parseJsonOption } from '../options';
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
    .command('show <id>')
    .description('a customer with their email preferences and suppression (GET /v1/customers/:id)')
    .action(async (id: string) => {
      console.log(JSON.stringify(await callApi<unknown>('GET', `/v1/customers/${encodeURIComponent(id)}`), null, 2));
    });
  registerCustomerImportCommand(customers);
}
