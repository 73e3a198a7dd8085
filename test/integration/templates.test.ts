import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Touchpoint } from '../../client/app';
import { touchpointCli } from '../support/cli';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

/** The built-in templates plus one that needs data.coupon, in a folder of its own. */
function templatesWithCoupon(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-templates-'));
  const builtIn = path.resolve(__dirname, '../../templates');
  for (const sub of ['layouts', 'partials']) {
    mkdirSync(path.join(dir, sub));
    for (const file of ['email.mjml.hbs', 'page.html.hbs', 'header.hbs', 'footer.hbs', 'footer.text.hbs']) {
      try {
        writeFileSync(path.join(dir, sub, file), readFileSync(path.join(builtIn, sub, file)));
      } catch {
        // not in this folder
      }
    }
  }
  mkdirSync(path.join(dir, 'spring-sale'));
  writeFileSync(path.join(dir, 'spring-sale/en.subject.hbs'), 'Spring sale, {{customer.name}}');
  writeFileSync(path.join(dir, 'spring-sale/de.subject.hbs'), 'Frühlingsaktion, {{customer.name}}');
  const body = (text: string) =>
    `<mj-section><mj-column>\n<mj-text>${text}</mj-text>\n` +
    `<mj-button href="https://shop.example.com/sale">Shop</mj-button>\n</mj-column></mj-section>\n`;
  writeFileSync(
    path.join(dir, 'spring-sale/en.mjml.hbs'),
    body('Use {{data.coupon}} for {{formatCurrency data.amount "EUR"}} off until {{formatDate data.until "long"}}.'),
  );
  writeFileSync(
    path.join(dir, 'spring-sale/de.mjml.hbs'),
    body('Mit {{data.coupon}} sparen Sie {{formatCurrency data.amount "EUR"}} bis {{formatDate data.until "long"}}.'),
  );
  return dir;
}

describe('template previews and test sends (API and CLI)', () => {
  let touchpoint: Touchpoint;
  const cli = (...args: string[]) => touchpointCli(args, touchpoint.url);
  const post = async (url: string, body: unknown) => {
    const response = await fetch(`${touchpoint.url}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** The `data` of a preview request (and --data): merged over the sample standard variables. */
  const saleData = { data: { coupon: 'SPRING', amount: 1234.5, until: '2026-11-23' } };

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint(
      { COMPANY_NAME: 'Acme GmbH', COMPANY_ADDRESS: 'Hauptstraße 1, 10115 Berlin' },
      { templatesDir: templatesWithCoupon() },
    );
  });
  afterAll(() => touchpoint?.stop());

  it('lists the templates with their locales', async () => {
    const response = await fetch(`${touchpoint.url}/v1/templates`);
    expect(await response.json()).toEqual({ templates: [{ name: 'spring-sale', locales: ['de', 'en'] }] });
    const listed = await cli('templates', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^spring-sale\s+de, en$/m);
  });

  it('previews in German and English with their own formatting, over sample standard variables', async () => {
    const de = await post('/v1/templates/spring-sale/preview', { locale: 'de', data: saleData });
    expect(de.status).toBe(200);
    expect(de.body).toMatchObject({ template: 'spring-sale', locale: 'de', subject: 'Frühlingsaktion, Alex Beispiel' });
    expect(de.body.text).toContain('Mit SPRING sparen Sie 1.234,50\u00a0€ bis 23. November 2026.');
    // The footer: company from the configuration, sample unsubscribe link under the public URL.
    expect(de.body.text).toContain('Acme GmbH');
    expect(de.body.text).toContain('Hauptstraße 1, 10115 Berlin');
    expect(de.body.html).toMatch(new RegExp(`<a href="${touchpoint.url}/u/preview"[^>]*>Abmelden</a>`));

    const en = await post('/v1/templates/spring-sale/preview', { data: saleData });
    expect(en.body.locale).toBe('en');
    expect(en.body.text).toContain('Use SPRING for €1,234.50 off until November 23, 2026.');
    expect(en.body.html).toContain('mj-column-per-100');
  });

  it('fails a preview with a missing variable: HTTP 400 naming it; 404 for an unknown template', async () => {
    const missing = await post('/v1/templates/spring-sale/preview', {
      data: { data: { amount: 5, until: '2026-01-01' } },
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'invalid_request' });
    expect(missing.body.message).toContain('the variable "data.coupon" is not provided');
    expect(missing.body.problems).toEqual([
      { path: 'template spring-sale (en)', message: expect.stringContaining('"data.coupon"') },
    ]);

    const badZone = await post('/v1/templates/spring-sale/preview', { data: saleData, timeZone: 'Mars/Olympus' });
    expect(badZone.status).toBe(400);
    expect(badZone.body.problems).toEqual([{ path: 'timeZone', message: expect.stringContaining('IANA') }]);

    const unknown = await post('/v1/templates/nope/preview', {});
    expect(unknown.status).toBe(404);
  });

  it('previews from the CLI: text to stdout, files with --out, exit 2 naming a missing variable', async () => {
    const shown = await cli(
      'templates',
      'preview',
      'spring-sale',
      '--locale',
      'de',
      '--data',
      JSON.stringify(saleData),
    );
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Subject   Frühlingsaktion, Alex Beispiel');
    expect(shown.stdout).toContain('1.234,50\u00a0€');

    const out = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-preview-'));
    const dataFile = path.join(out, 'data.json');
    writeFileSync(dataFile, JSON.stringify(saleData));
    const written = await cli('templates', 'preview', 'spring-sale', '--data', `@${dataFile}`, '--out', out);
    expect(written.code).toBe(0);
    expect(written.stdout.trim().split('\n')).toEqual([
      path.join(out, 'subject.txt'),
      path.join(out, 'spring-sale.html'),
      path.join(out, 'spring-sale.txt'),
    ]);
    expect(readFileSync(path.join(out, 'subject.txt'), 'utf8')).toBe('Spring sale, Alex Example\n');
    expect(readFileSync(path.join(out, 'spring-sale.html'), 'utf8')).toMatch(/^<!doctype html>/i);

    const missing = await cli('templates', 'preview', 'spring-sale', '--data', '{"data":{"amount":1}}');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('the variable "data.coupon" is not provided');

    const badJson = await cli('templates', 'preview', 'spring-sale', '--data', '{oops');
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--data is not valid JSON');
  });

  it('sends a test through the mailer: it arrives in the built-in inbox with "[Test]" in the subject', async () => {
    const sent = await cli(
      'templates',
      'send-test',
      'spring-sale',
      '--to',
      'writer@example.com',
      '--locale',
      'de',
      '--data',
      JSON.stringify(saleData),
    );
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('Sent a test of spring-sale to writer@example.com');

    const message = await eventually(async () => {
      const response = await fetch(`${touchpoint.url}/v1/inbox?to=writer@example.com`);
      const { messages } = (await response.json()) as { messages: { subject: string; text?: string }[] };
      return messages[0];
    }, 'the test message in the inbox');
    expect(message.subject).toBe('[Test] Frühlingsaktion, Alex Beispiel');
    expect(message.text).toContain('Mit SPRING sparen Sie');

    const badAddress = await post('/v1/templates/spring-sale/send-test', { to: 'not-an-address', data: saleData });
    expect(badAddress.status).toBe(400);
    expect(badAddress.body.problems).toEqual([{ path: 'to', message: expect.any(String) }]);
  });
});
