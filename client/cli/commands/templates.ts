import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { apiBaseUrl, callApi, CliError } from '../api';
import { parseJsonOption, print } from '../options';

interface Preview {
  template: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
}

/** --data: inline JSON, or @file.json. */
function readData(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let json = value;
  if (value.startsWith('@')) {
    try {
      json = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new CliError(`--data: cannot read ${value.slice(1)}: ${(error as Error).message}`, 2, [
        { path: 'data', message: 'unreadable file' },
      ]);
    }
  }
  const data = parseJsonOption('data', json);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CliError('--data must be a JSON object, e.g. {"data":{"coupon":"SPRING"}}', 2, [
      { path: 'data', message: 'not an object' },
    ]);
  }
  return data as Record<string, unknown>;
}

const renderOptions = (command: Command) =>
  command
    .option('--locale <locale>', 'customer locale, e.g. en, de, de-CH (falls back de-CH → de → en)', 'en')
    .option('--data <json|@file>', 'variables merged over the sample ones, e.g. {"data":{"coupon":"SPRING"}}')
    .option('--time-zone <zone>', 'IANA time zone for dates, e.g. Europe/Berlin', 'UTC');

const bodyOf = (options: { locale: string; data?: string; timeZone: string }) => ({
  locale: options.locale,
  timeZone: options.timeZone,
  data: readData(options.data),
});

/** `touchpoint templates list|preview|send-test` */
export function registerTemplatesCommands(program: Command): void {
  const templates = program.command('templates').description('the email templates (templates/<name>/<locale>.*.hbs)');

  templates
    .command('list')
    .description('email templates with their locales')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const result = await callApi<{ templates: { name: string; locales: string[] }[] }>('GET', '/v1/templates');
      print(options.json, result.templates, () =>
        result.templates.map((t) => `${t.name.padEnd(24)} ${t.locales.join(', ')}`).join('\n'),
      );
    });

  renderOptions(
    templates
      .command('preview <template>')
      .description('render a template as a customer would get it; a missing variable fails (exit 2) naming it'),
  )
    .option('--out <dir>', 'write subject.txt, <template>.html and <template>.txt into this folder')
    .option('--json', 'print the rendered parts as JSON')
    .action(async (template: string, options) => {
      const preview = await callApi<Preview>(
        'POST',
        `/v1/templates/${encodeURIComponent(template)}/preview`,
        bodyOf(options),
      );
      if (options.out) {
        mkdirSync(options.out, { recursive: true });
        const files = {
          'subject.txt': `${preview.subject}\n`,
          [`${template}.html`]: preview.html,
          [`${template}.txt`]: preview.text,
        };
        for (const [file, content] of Object.entries(files)) {
          writeFileSync(path.join(options.out, file), content);
          console.log(path.join(options.out, file));
        }
        return;
      }
      print(options.json, preview, () =>
        [
          `Template  ${preview.template} (${preview.locale})`,
          `Subject   ${preview.subject}`,
          '',
          preview.text.trimEnd(),
          '',
          `(HTML: --out <dir> writes it to a file; or POST ${apiBaseUrl()}/v1/templates/${template}/preview)`,
        ].join('\n'),
      );
    });

  renderOptions(
    templates
      .command('send-test <template>')
      .description('render a template with sample data and send it to an address, subject prefixed "[Test]"'),
  )
    .requiredOption('--to <address>', 'where to send it')
    .action(async (template: string, options) => {
      const sent = await callApi<{ messageId: string; to: string }>(
        'POST',
        `/v1/templates/${encodeURIComponent(template)}/send-test`,
        { ...bodyOf(options), to: options.to },
      );
      console.log(`Sent a test of ${template} to ${sent.to} (Message-ID ${sent.messageId}).`);
    });
}
