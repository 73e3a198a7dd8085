import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

export type TemplatePart = 'subject' | 'html' | 'text';
export interface Rendered {
  locale: string;
  subject?: string;
  html?: string;
  text?: string;
}

export class TemplateError extends Error {
  constructor(
    readonly template: string,
    message: string,
  ) {
    super(`template "${template}": ${message}`);
    this.name = 'TemplateError';
  }
}

/** de-CH → de → en: the customer's locale, its language, then the default. */
export function localeChain(locale: string, fallback = 'en'): string[] {
  const chain: string[] = [];
  const parts = locale.split('-');
  for (let i = parts.length; i > 0; i--) chain.push(parts.slice(0, i).join('-'));
  if (!chain.includes(fallback)) chain.push(fallback);
  return chain;
}

/**
 * Handlebars templates from a folder: `<name>/<locale>.<part>.hbs` (part = subject, html, text),
 * an optional layout from `layouts/<layout>.html.hbs` around the HTML part, partials from `partials/`.
 * Compiled once, strict (a missing variable is an error, never a blank); the text part is not HTML-escaped.
 */
export class TemplateLibrary {
  private readonly hbs = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly partialSources: string[] = [];

  constructor(readonly root: string) {
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    const partials = path.join(root, 'partials');
    if (existsSync(partials)) {
      for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
        const source = readFileSync(path.join(partials, file), 'utf8');
        this.partialSources.push(source);
        this.hbs.registerPartial(file.replace(/\.hbs$/, ''), source);
      }
    }
  }

  has(name: string): boolean {
    return existsSync(path.join(this.root, name));
  }

  /** The locales a template has at least one part for (exactly, without fallback). */
  locales(name: string): string[] {
    if (!this.has(name)) return [];
    const found = readdirSync(path.join(this.root, name))
      .map((file) => /^([A-Za-z-]+)\.(subject|html|text)\.hbs$/.exec(file)?.[1])
      .filter((locale): locale is string => !!locale);
    return [...new Set(found)].sort();
  }

  /** Renders every part the template has, in the first locale of the chain it exists in. */
  render(name: string, locale: string, data: object, options: { layout?: string } = {}): Rendered {
    if (!/^[a-z0-9][a-z0-9-/]*$/.test(name) || !this.has(name)) {
      throw new TemplateError(name, `no such template under ${this.root}`);
    }
    const chosen = localeChain(locale).find((candidate) =>
      (['subject', 'html', 'text'] as const).some((part) => existsSync(this.file(name, candidate, part))),
    );
    if (!chosen) throw new TemplateError(name, `has no part for locale "${locale}" nor for "en"`);
    const rendered: Rendered = { locale: chosen };
    for (const part of ['subject', 'html', 'text'] as const) {
      const file = this.file(name, chosen, part);
      if (!existsSync(file)) continue;
      let output = this.run(name, file, part, data);
      if (part === 'html' && options.layout) {
        const layout = path.join(this.root, 'layouts', `${options.layout}.html.hbs`);
        if (!existsSync(layout)) throw new TemplateError(name, `layout "${options.layout}" does not exist (${layout})`);
        output = this.run(name, layout, 'html', { ...data, body: output, locale: chosen });
      }
      rendered[part] = part === 'subject' ? output.trim() : output;
    }
    return rendered;
  }

  private file(name: string, locale: string, part: TemplatePart): string {
    return path.join(this.root, name, `${locale}.${part}.hbs`);
  }

  private run(name: string, file: string, part: TemplatePart, data: object): string {
    let template = this.compiled.get(file);
    if (!template) {
      // The text part and the subject are plain text: no HTML escaping there.
      template = this.hbs.compile(readFileSync(file, 'utf8'), { strict: true, noEscape: part !== 'html' });
      this.compiled.set(file, template);
    }
    try {
      return template(data);
    } catch (error) {
      throw new TemplateError(
        name,
        `${path.basename(file)}: ${describeRenderError(file, (error as Error).message, this.partialSources)}`,
      );
    }
  }
}

/**
 * Strict mode reports only the last segment of a missing path ('"code" not defined in undefined - 1:13'),
 * and does not cover helper parameters at all ({{#each survey.scores}} fails with a TypeError). Find the
 * whole expression in the template or its partials, so the message names the variable a writer searches for.
 */
function describeRenderError(file: string, message: string, partials: string[]): string {
  const at = / - (\d+):(\d+)$/.exec(message);
  if (/not defined in/.test(message) && at) {
    const line = readFileSync(file, 'utf8').split('\n')[Number(at[1]) - 1] ?? '';
    const variable = /^[\w.@/-]+/.exec(line.slice(Number(at[2])))?.[0];
    if (variable) return `line ${at[1]}: the variable "${variable}" is not provided`;
  }
  const property = /Cannot read properties of (?:undefined|null) \(reading '([\w-]+)'\)/.exec(message)?.[1];
  if (property) {
    const sources = [readFileSync(file, 'utf8'), ...partials];
    for (const source of sources) {
      const variable = new RegExp(`[\\w.]*[\\w]\\.${property}\\b`).exec(source)?.[0];
      if (variable) return `the variable "${variable}" is not provided`;
    }
  }
  return message;
}
