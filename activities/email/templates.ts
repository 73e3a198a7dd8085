import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { convert as htmlToText } from 'html-to-text';
import { Parser } from 'htmlparser2';
import mjml2html from 'mjml';

export type TemplatePart = 'subject' | 'mjml' | 'html' | 'text';
const PARTS: readonly TemplatePart[] = ['subject', 'mjml', 'html', 'text'];

/** What `render` (pages, plain parts) returns: the parts the template has. */
export interface Rendered {
  locale: string;
  subject?: string;
  html?: string;
  text?: string;
}

/** What `renderEmail` returns: every part filled. */
export interface RenderedEmail {
  /** The template locale that was used (de-CH → de → en). */
  locale: string;
  /** The locale dates, numbers and currencies were formatted in (e.g. de-CH for a de-CH customer on "de"). */
  formatLocale: string;
  subject: string;
  html: string;
  text: string;
}

export interface TemplateLibraryOptions {
  /** Links in the HTML must be https: or start with this (e.g. http://localhost:3000 in development). */
  publicUrl?: string;
}

export interface RenderOptions {
  /** IANA time zone for formatDate; default UTC. */
  timeZone?: string;
  /** Overrides the library's publicUrl for this render. */
  publicUrl?: string;
}

export interface PageRenderOptions extends RenderOptions {
  /** `layouts/<layout>.html.hbs` around the HTML part. */
  layout?: string;
}

export class TemplateError extends Error {
  constructor(
    readonly template: string,
    message: string,
    /** The template locale the problem is in, when one was chosen. */
    readonly locale?: string,
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

/** Folders of the template root that are not templates. */
const RESERVED = new Set(['layouts', 'partials', 'pages']);
const NAME = /^[a-z0-9][a-z0-9-/]*$/;

/**
 * Handlebars templates from a folder: `<name>/<locale>.<part>.hbs`, partials from `partials/`, layouts from
 * `layouts/`. Each file is compiled once; rendering is strict (a missing variable is an error, never a blank);
 * the subject and the text part are not HTML-escaped.
 *
 * Emails (`renderEmail`): `<locale>.subject.hbs`, `<locale>.mjml.hbs` (MJML sections, wrapped by
 * `layouts/email.mjml.hbs` unless it is a whole `<mjml>` document) and optionally `<locale>.text.hbs`
 * (else the text is derived from the HTML). Every link in the HTML must be https: or under the public URL.
 * Pages (`render`): `<locale>.html.hbs` in a plain HTML layout.
 */
export class TemplateLibrary {
  private readonly hbs = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly partialSources: string[] = [];
  readonly publicUrl?: string;

  constructor(
    readonly root: string,
    options: TemplateLibraryOptions = {},
  ) {
    this.publicUrl = options.publicUrl;
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    for (const [name, helper] of Object.entries(FORMAT_HELPERS)) this.hbs.registerHelper(name, helper);
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
    const dir = path.join(this.root, name);
    return NAME.test(name) && !RESERVED.has(name) && existsSync(dir) && statSync(dir).isDirectory();
  }

  /** The locales a template has at least one part for (exactly, without fallback). */
  locales(name: string): string[] {
    if (!this.has(name)) return [];
    const found = readdirSync(path.join(this.root, name))
      .map((file) => /^([A-Za-z-]+)\.(subject|mjml|html|text)\.hbs$/.exec(file)?.[1])
      .filter((locale): locale is string => !!locale);
    return [...new Set(found)].sort();
  }

  /** The email templates (not layouts, partials or pages) with their locales. */
  list(): { name: string; locales: string[] }[] {
    return readdirSync(this.root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && this.has(entry.name))
      .map((entry) => ({ name: entry.name, locales: this.locales(entry.name) }))
      .filter((template) => template.locales.length > 0)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Renders an email: subject, HTML (MJML in the email layout, compiled to responsive HTML with inlined
   * CSS) and text, in the first locale of the chain the template has. Formatting helpers use the
   * customer's full locale when the template is in its language (de-CH on "de" → Swiss formats),
   * else the template's locale (fr-CH on the "en" fallback → English formats).
   */
  async renderEmail(
    name: string,
    locale: string,
    data: object,
    options: RenderOptions & { layout?: string } = {},
  ): Promise<RenderedEmail> {
    const chosen = this.chooseLocale(name, locale);
    const frame = this.frame(name, locale, chosen, options.timeZone);
    const subjectFile = this.file(name, chosen, 'subject');
    const mjmlFile = this.file(name, chosen, 'mjml');
    for (const [file, what] of [
      [subjectFile, 'a subject'],
      [mjmlFile, 'an MJML body'],
    ] as const) {
      if (!existsSync(file)) {
        throw new TemplateError(
          name,
          `needs ${what} for locale "${chosen}": ${path.basename(file)} is missing`,
          chosen,
        );
      }
    }
    const subject = this.run(name, chosen, subjectFile, data, frame, true).trim();

    const body = this.run(name, chosen, mjmlFile, data, frame, false);
    let document = body;
    let bodyLine = 1;
    if (!/^\s*<mjml[\s>]/.test(body)) {
      const layout = path.join(this.root, 'layouts', `${options.layout ?? 'email'}.mjml.hbs`);
      if (!existsSync(layout)) {
        throw new TemplateError(name, `the email layout ${layout} does not exist`, chosen);
      }
      document = this.run(name, chosen, layout, { ...data, body, subject, locale: chosen }, frame, false);
      bodyLine = lineOf(document, document.indexOf(body));
    }
    const html = await compileMjml(name, chosen, path.basename(mjmlFile), document, bodyLine);

    const publicUrl = options.publicUrl ?? this.publicUrl;
    const badLinks = linkProblems(html, publicUrl);
    if (badLinks.length) {
      throw new TemplateError(
        name,
        `${path.basename(mjmlFile)}: links must be https:${publicUrl ? ` or start with ${publicUrl}` : ''}; ` +
          `not allowed: ${badLinks.join(', ')}`,
        chosen,
      );
    }

    const textFile = this.file(name, chosen, 'text');
    let text: string;
    if (existsSync(textFile)) {
      text = this.run(name, chosen, textFile, data, frame, true).trimEnd();
      // The HTML has the footer from the layout; a hand-written text part gets the text footer here.
      const footer = path.join(this.root, 'partials', 'footer.text.hbs');
      if (existsSync(footer)) text += `\n\n${this.run(name, chosen, footer, data, frame, true).trim()}`;
    } else {
      text = deriveText(html);
    }
    return { locale: chosen, formatLocale: frame.locale, subject, html, text: `${text}\n` };
  }

  /** Renders every part the template has (pages, plain parts), in the first locale of the chain it exists in. */
  render(name: string, locale: string, data: object, options: PageRenderOptions = {}): Rendered {
    const chosen = this.chooseLocale(name, locale);
    if (existsSync(this.file(name, chosen, 'mjml'))) {
      throw new TemplateError(name, 'is an email template (MJML): render it with renderEmail', chosen);
    }
    const frame = this.frame(name, locale, chosen, options.timeZone);
    const rendered: Rendered = { locale: chosen };
    for (const part of ['subject', 'html', 'text'] as const) {
      const file = this.file(name, chosen, part);
      if (!existsSync(file)) continue;
      let output = this.run(name, chosen, file, data, frame, part !== 'html');
      if (part === 'html' && options.layout) {
        const layout = path.join(this.root, 'layouts', `${options.layout}.html.hbs`);
        if (!existsSync(layout)) {
          throw new TemplateError(name, `layout "${options.layout}" does not exist (${layout})`, chosen);
        }
        output = this.run(name, chosen, layout, { ...data, body: output, locale: chosen }, frame, false);
      }
      rendered[part] = part === 'subject' ? output.trim() : output;
    }
    return rendered;
  }

  private chooseLocale(name: string, locale: string): string {
    if (!this.has(name)) throw new TemplateError(name, `no such template under ${this.root}`);
    const chosen = localeChain(locale).find((candidate) =>
      PARTS.some((part) => existsSync(this.file(name, candidate, part))),
    );
    if (!chosen) throw new TemplateError(name, `has no part for locale "${locale}" nor for "en"`);
    return chosen;
  }

  /** The @data the helpers read: where and how to format. */
  private frame(name: string, requested: string, chosen: string, timeZone = 'UTC'): FormatFrame {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
    } catch {
      throw new TemplateError(name, `unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin)`);
    }
    const sameLanguage = requested.toLowerCase().startsWith(`${chosen.toLowerCase()}-`);
    let locale = chosen;
    try {
      locale = Intl.getCanonicalLocales(sameLanguage ? requested : chosen)[0] ?? chosen;
    } catch {
      // Not a well-formed language tag: format in the template's own locale.
    }
    return { locale, language: chosen.split('-')[0], timeZone };
  }

  private file(name: string, locale: string, part: TemplatePart): string {
    return path.join(this.root, name, `${locale}.${part}.hbs`);
  }

  private run(name: string, locale: string, file: string, data: object, frame: FormatFrame, plain: boolean): string {
    const key = `${plain ? 'plain' : 'html'}:${file}`;
    let template = this.compiled.get(key);
    if (!template) {
      // The text part and the subject are plain text: no HTML escaping there.
      template = this.hbs.compile(readFileSync(file, 'utf8'), { strict: true, noEscape: plain });
      this.compiled.set(key, template);
    }
    try {
      return template(data, { data: { ...frame } });
    } catch (error) {
      const source = readFileSync(file, 'utf8');
      const message =
        error instanceof HelperError
          ? describeHelperError(error, [source, ...this.partialSources])
          : describeRenderError(source, (error as Error).message, this.partialSources);
      throw new TemplateError(name, `${path.basename(file)}: ${message}`, locale);
    }
  }
}

interface FormatFrame {
  /** Intl locale: the customer's own (de-CH) when the template is in its language. */
  locale: string;
  /** The template's language, e.g. for the footer's wording. */
  language: string;
  timeZone: string;
}

function lineOf(text: string, index: number): number {
  return index < 0 ? 1 : text.slice(0, index).split('\n').length;
}

async function compileMjml(name: string, locale: string, file: string, document: string, bodyLine: number) {
  try {
    // Includes would read files outside the template root at render time; partials do that job.
    const { html } = await mjml2html(document, { validationLevel: 'strict', ignoreIncludes: true });
    return html;
  } catch (error) {
    const errors = (error as { errors?: { line: number; message: string }[] }).errors;
    if (!errors?.length) throw new TemplateError(name, `${file}: MJML failed: ${(error as Error).message}`, locale);
    const where = (line: number) =>
      line >= bodyLine ? `line ${line - bodyLine + 1} of the rendered ${file}` : `line ${line} of the email layout`;
    const details = errors.map((e) => `${where(e.line)}: ${e.message}`).join('; ');
    throw new TemplateError(name, `${file}: not valid MJML: ${details}`, locale);
  }
}

/** Every href/src/background/action in the HTML that is not https: (or mailto:, or under the public URL). */
export function linkProblems(html: string, publicUrl?: string): string[] {
  const base = publicUrl?.replace(/\/+$/, '');
  const allowed = (link: string) =>
    /^https:\/\/[^/\s]/i.test(link) ||
    /^mailto:/i.test(link) ||
    (!!base && (link === base || link.startsWith(`${base}/`) || link.startsWith(`${base}?`)));
  const bad: string[] = [];
  const parser = new Parser(
    {
      onopentag(tag, attributes) {
        for (const attribute of ['href', 'src', 'background', 'action']) {
          const link = attributes[attribute];
          if (link !== undefined && !allowed(link.trim())) bad.push(`<${tag} ${attribute}="${link}">`);
        }
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return [...new Set(bad)];
}

/** The text part from the HTML, for templates without one: links as "text [url]". */
export function deriveText(html: string): string {
  return htmlToText(html, {
    wordwrap: 78,
    selectors: [
      { selector: 'a', options: { linkBrackets: ['[', ']'], hideLinkHrefIfSameAsText: true } },
      { selector: 'img', format: 'skip' },
      // MJML lays out with tables: read them as blocks, not as data tables.
      { selector: 'table', format: 'block' },
      { selector: 'tr', format: 'block' },
      { selector: 'td', format: 'block' },
    ],
  }).trim();
}

/** A helper's complaint about its arguments; `run` adds the file, the line and the expression. */
class HelperError extends Error {
  constructor(
    readonly helper: string,
    message: string,
    readonly loc?: { start: { line: number; column: number } },
    /** The position of a parameter that was undefined (a variable that is not provided). */
    readonly missingParam?: number,
  ) {
    super(message);
  }
}

type HelperOptions = Handlebars.HelperOptions & {
  data: FormatFrame;
  loc?: { start: { line: number; column: number } };
};

const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : String(value));

function numberParam(helper: string, what: string, value: unknown, index: number, options: HelperOptions): number {
  if (value === undefined) throw new HelperError(helper, `no ${what} given`, options.loc, index);
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new HelperError(helper, `${show(value)} is not a number (the ${what})`, options.loc);
  }
  return number;
}

const DATE_STYLES = ['short', 'medium', 'long', 'full'] as const;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Locale formatting on Intl, in the render's locale and time zone (see FormatFrame). */
const FORMAT_HELPERS: Record<string, (...args: unknown[]) => string> = {
  formatDate(...args) {
    const options = args.pop() as HelperOptions;
    const [value, style = 'medium'] = args;
    if (value === undefined) throw new HelperError('formatDate', 'no date given', options.loc, 0);
    const date =
      value instanceof Date
        ? value
        : typeof value === 'string' || typeof value === 'number'
          ? new Date(value)
          : undefined;
    if (!date || Number.isNaN(date.getTime())) {
      throw new HelperError(
        'formatDate',
        `${show(value)} is not a date (give an ISO 8601 date such as 2026-11-23 or 2026-11-23T14:30:00Z, or milliseconds)`,
        options.loc,
      );
    }
    if (!DATE_STYLES.includes(style as (typeof DATE_STYLES)[number])) {
      throw new HelperError('formatDate', `unknown style ${show(style)} (use ${DATE_STYLES.join(', ')})`, options.loc);
    }
    // A calendar date (2026-11-23) is the same day everywhere: do not shift it into the time zone.
    const dateOnly = typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value);
    return new Intl.DateTimeFormat(options.data.locale, {
      dateStyle: style as (typeof DATE_STYLES)[number],
      timeStyle: options.hash.time && !dateOnly ? 'short' : undefined,
      timeZone: dateOnly ? 'UTC' : options.data.timeZone,
    }).format(date);
  },

  formatNumber(...args) {
    const options = args.pop() as HelperOptions;
    const value = numberParam('formatNumber', 'value', args[0], 0, options);
    let digits: number | undefined;
    if (args[1] !== undefined) {
      digits = Number(args[1]);
      if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
        throw new HelperError('formatNumber', `${show(args[1])} is not a number of decimals (0 to 20)`, options.loc);
      }
    }
    return new Intl.NumberFormat(options.data.locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);
  },

  formatCurrency(...args) {
    const options = args.pop() as HelperOptions;
    const amount = numberParam('formatCurrency', 'amount', args[0], 0, options);
    const currency = args[1];
    if (currency === undefined) throw new HelperError('formatCurrency', 'no currency given', options.loc, 1);
    if (typeof currency !== 'string' || !CURRENCIES.has(currency.toUpperCase())) {
      throw new HelperError(
        'formatCurrency',
        `${show(currency)} is not a known currency code (ISO 4217, e.g. EUR)`,
        options.loc,
      );
    }
    return new Intl.NumberFormat(options.data.locale, { style: 'currency', currency: currency.toUpperCase() }).format(
      amount,
    );
  },

  /** {{plural n one="# day" other="# days"}}: the CLDR category of the count picks the text; # is the count. */
  plural(...args) {
    const options = args.pop() as HelperOptions;
    const count = numberParam('plural', 'count', args[0], 0, options);
    const texts = options.hash as Record<string, unknown>;
    if (typeof texts.other !== 'string') {
      throw new HelperError(
        'plural',
        'needs other="…" (and one="…", few="…", … as the language has them)',
        options.loc,
      );
    }
    const category = new Intl.PluralRules(options.data.locale).select(count);
    const text = typeof texts[category] === 'string' ? (texts[category] as string) : texts.other;
    return text.replace(/#/g, new Intl.NumberFormat(options.data.locale).format(count));
  },
};

/** "formatCurrency: "EURO" is not a known currency" plus where, and the variable when one was missing. */
function describeHelperError(error: HelperError, sources: string[]): string {
  const line = error.loc?.start.line;
  const at = line ? `line ${line}: ` : '';
  if (error.missingParam !== undefined && error.loc) {
    for (const source of sources) {
      const text = source.split('\n')[error.loc.start.line - 1]?.slice(error.loc.start.column) ?? '';
      const call = new RegExp(`^\\{\\{~?#?\\s*${error.helper}\\s+([^}]*)`).exec(text)?.[1];
      const variable = call?.trim().split(/\s+/)[error.missingParam];
      if (variable && /^[\w.@/-]+$/.test(variable)) {
        return `${at}the variable "${variable}" is not provided (${error.helper} needs it)`;
      }
    }
  }
  return `${at}${error.helper}: ${error.message}`;
}

/**
 * Strict mode reports only the last segment of a missing path ('"code" not defined in undefined - 1:13'),
 * and does not cover helper parameters at all ({{#each survey.scores}} fails with a TypeError). Find the
 * whole expression in the template or its partials, so the message names the variable a writer searches for.
 */
function describeRenderError(source: string, message: string, partials: string[]): string {
  const at = / - (\d+):(\d+)$/.exec(message);
  const missing = /^"([^"]+)" not defined in/.exec(message)?.[1];
  if (missing && at) {
    // The position may be in the template or in one of its partials: take the one naming that variable.
    for (const candidate of [source, ...partials]) {
      const line = candidate.split('\n')[Number(at[1]) - 1] ?? '';
      const variable = /^[\w.@/-]+/.exec(line.slice(Number(at[2])))?.[0];
      if (variable && (variable === missing || variable.endsWith(`.${missing}`))) {
        return `line ${at[1]}: the variable "${variable}" is not provided`;
      }
    }
  }
  const property = /Cannot read properties of (?:undefined|null) \(reading '([\w-]+)'\)/.exec(message)?.[1];
  if (property) {
    for (const candidate of [source, ...partials]) {
      const variable = new RegExp(`[\\w.]*[\\w]\\.${property}\\b`).exec(candidate)?.[0];
      if (variable) return `the variable "${variable}" is not provided`;
    }
  }
  return message;
}
