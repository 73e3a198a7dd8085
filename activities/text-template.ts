import { ApplicationFailure } from '@temporalio/common';
import Handlebars from 'handlebars';

const hbs = Handlebars.create();
// {{json data.gift}} writes a value as JSON, for webhook bodies.
hbs.registerHelper('json', (value: unknown) => new Handlebars.SafeString(JSON.stringify(value ?? null)));
const cache = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Short texts written in a journey (CRM notes, task titles, attribute values, webhook bodies) with
 * {{placeholders}} from the run. Not strict: a note about a missing answer reads blank there, not fail.
 */
export function renderText(template: string, context: object): string {
  let compiled = cache.get(template);
  try {
    if (!compiled) {
      compiled = hbs.compile(template, { noEscape: true });
      cache.set(template, compiled);
    }
    return compiled(context);
  } catch (error) {
    // A text that cannot be rendered will not render on a retry either (`journeys validate` catches these).
    throw ApplicationFailure.nonRetryable(`cannot render "${template}": ${(error as Error).message}`, 'TemplateError');
  }
}

/** The parse error of a text template, or undefined when it parses (for `journeys validate`). */
export function textTemplateError(template: string): string | undefined {
  try {
    hbs.parse(template);
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n').pop();
  }
}
