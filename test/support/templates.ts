import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A templates folder for a test: the built-in templates plus `hello` (subject, MJML body, text in en),
 * the one the test journeys send. Returns the folder.
 */
export function templatesWithHello(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-templates-'));
  cpSync(path.resolve(__dirname, '../../templates'), dir, { recursive: true });
  mkdirSync(path.join(dir, 'hello'));
  writeFileSync(path.join(dir, 'hello', 'en.subject.hbs'), 'Hello');
  writeFileSync(
    path.join(dir, 'hello', 'en.mjml.hbs'),
    '<mj-section><mj-column><mj-text>Hello {{customer.name}}</mj-text></mj-column></mj-section>',
  );
  writeFileSync(path.join(dir, 'hello', 'en.text.hbs'), 'Hello {{customer.name}}');
  return dir;
}
