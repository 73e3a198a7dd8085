import { readFileSync } from 'node:fs';
import { EVENT_TYPES } from '../model/event';
import { stepGraph, type Journey } from '../model/journey';
import { messageData, NO_LINKS } from '../activities/email/message-data';
import type { TemplateLibrary } from '../activities/email/templates';
import { textTemplateError } from '../activities/text-template';
import type { GiftCatalog } from '../model/gift';
import { readJourneySource, type JourneyProblem, type JourneySource, type YamlPath } from './journey-catalog';

/**
 * `touchpoint journeys validate`: everything the schema checks, plus what needs the whole journey
 * (unreachable steps, loops without a wait, unknown event types) and the templates it sends.
 */
export async function validateJourneyFile(
  file: string,
  templates: TemplateLibrary,
  giftCatalog?: GiftCatalog,
): Promise<JourneyProblem[]> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    return [{ file, path: '(file)', message: `cannot read the file: ${(error as Error).message}` }];
  }
  return validateJourneySource(readJourneySource(source, file), templates, giftCatalog);
}

/** With a gift catalog, gift steps must name one of its campaigns. */
export async function validateJourneySource(
  read: JourneySource,
  templates: TemplateLibrary,
  giftCatalog?: GiftCatalog,
): Promise<JourneyProblem[]> {
  const { journey } = read;
  if (!journey) return read.problems;
  const problems = [
    ...eventTypeProblems(journey),
    ...flowProblems(journey),
    ...(await templateProblems(journey, templates)),
    ...textTemplateProblems(journey),
    ...(giftCatalog ? giftProblems(journey, giftCatalog) : []),
  ];
  return problems.map(([path, message]) => read.problemAt(path, message)).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

type Found = [YamlPath, string];

function eventTypeProblems(journey: Journey): Found[] {
  const known = new Set<string>(EVENT_TYPES);
  const unknown = (type: string) => `unknown event type "${type}"; known types: ${EVENT_TYPES.join(', ')}`;
  const found: Found[] = [];
  if (!known.has(journey.trigger.event)) found.push([['trigger', 'event'], unknown(journey.trigger.event)]);
  for (const field of ['exit', 'goal'] as const) {
    journey[field].forEach((type, i) => known.has(type) || found.push([[field, i], unknown(type)]));
  }
  journey.steps.forEach((step, s) => {
    if (step.type !== 'waitFor') return;
    step.events.forEach((type, i) => known.has(type) || found.push([['steps', s, 'events', i], unknown(type)]));
    for (const type of Object.keys(step.on ?? {})) {
      if (!step.events.includes(type)) {
        found.push([['steps', s, 'on', type], `"${type}" is not one of the events this step waits for`]);
      }
    }
  });
  return found;
}

function flowProblems(journey: Journey): Found[] {
  const graph = stepGraph(journey.steps);
  const index = new Map(journey.steps.map((step, i) => [step.id, i]));
  const found: Found[] = [];

  const reached = new Set<string>();
  const queue = [journey.steps[0].id];
  while (queue.length) {
    const id = queue.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    queue.push(...(graph.get(id) ?? []));
  }
  for (const step of journey.steps) {
    if (!reached.has(step.id)) {
      found.push([['steps', index.get(step.id)!, 'id'], `step "${step.id}" can never be reached from the first step`]);
    }
  }

  // A holdout gets nothing: no path from a holdout may reach a send, a gift or a coupon.
  const byId = new Map(journey.steps.map((step) => [step.id, step]));
  journey.steps.forEach((step, s) => {
    if (step.type !== 'split') return;
    step.paths.forEach((path, p) => {
      if (!path.holdout) return;
      const seen = new Set<string>();
      const todo = [path.next];
      while (todo.length) {
        const id = todo.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        const reached = byId.get(id)?.type;
        if (reached === 'send' || reached === 'gift' || reached === 'coupon') {
          found.push([['steps', s, 'paths', p], `the holdout path "${path.name}" reaches the ${reached} step "${id}"`]);
          return;
        }
        todo.push(...(graph.get(id) ?? []));
      }
    });
  });

  // A cycle through steps that never wait would spin forever without a pause: find one per journey.
  const waits = new Set(journey.steps.filter((s) => s.type === 'wait' || s.type === 'waitFor').map((s) => s.id));
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (waits.has(id) || state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'open');
    trail.push(id);
    for (const next of graph.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const step of journey.steps) {
    const cycle = visit(step.id);
    if (cycle) {
      found.push([
        ['steps', index.get(cycle[0])!, 'id'],
        `the loop ${cycle.join(' → ')} has no wait or waitFor: the run would repeat it without pause`,
      ]);
      break;
    }
  }
  return found;
}

/** The emails the journey can send: each send step's template, and a catalog gift's address request. */
function emailsOf(journey: Journey): { at: YamlPath; template: string; survey: boolean }[] {
  return journey.steps.flatMap((step, s) =>
    step.type === 'send'
      ? [{ at: ['steps', s, 'template'], template: step.template, survey: step.survey }]
      : step.type === 'gift' && step.value === undefined
        ? [{ at: ['steps', s, 'addressTemplate'], template: step.addressTemplate, survey: false }]
        : [],
  );
}

async function templateProblems(journey: Journey, templates: TemplateLibrary): Promise<Found[]> {
  const found: Found[] = [];
  for (const { at, template, survey } of emailsOf(journey)) {
    if (!templates.has(template)) {
      found.push([at, `no template "${template}" in ${templates.root}`]);
      continue;
    }
    const has = templates.locales(template);
    for (const locale of journey.locales) {
      if (!has.includes(locale)) {
        found.push([at, `template "${template}" has no ${locale} part (it has: ${has.join(', ') || 'none'})`]);
        continue;
      }
      try {
        // The sample links are https, so only the template's own links can break the link policy here.
        await templates.renderEmail(template, locale, probeData(journey, survey, locale));
      } catch (error) {
        found.push([
          at,
          `template "${template}" (${locale}) cannot be rendered with what this journey provides: ${(error as Error).message}`,
        ]);
      }
    }
  }
  return found;
}

/** A gift step names a campaign of the gift catalog, unless it gives a fixed voucher (value and currency). */
function giftProblems(journey: Journey, catalog: GiftCatalog): Found[] {
  const campaigns = catalog.campaigns.map((c) => c.id);
  return journey.steps.flatMap((step, s): Found[] =>
    step.type === 'gift' && step.value === undefined && !campaigns.includes(step.campaign)
      ? [
          [
            ['steps', s, 'campaign'],
            `campaign "${step.campaign}" is not in the gift catalog (campaigns: ${campaigns.join(', ')}); ` +
              'add it to the catalog (GIFT_CATALOG), or give "value" and "currency" for a fixed voucher',
          ],
        ]
      : [],
  );
}

/** The {{placeholder}} texts written in the journey itself (CRM notes, task titles, values, webhook bodies). */
function textTemplateProblems(journey: Journey): Found[] {
  const found: Found[] = [];
  const check = (path: YamlPath, text: unknown) => {
    const error = typeof text === 'string' ? textTemplateError(text) : undefined;
    if (error) found.push([path, `cannot be read as a {{placeholder}} text: ${error}`]);
  };
  journey.steps.forEach((step, s) => {
    if (step.type === 'crm') {
      check(['steps', s, 'note'], step.note);
      check(['steps', s, 'task', 'title'], step.task?.title);
      for (const [key, value] of Object.entries(step.update ?? {})) check(['steps', s, 'update', key], value);
    }
    if (step.type === 'webhook') check(['steps', s, 'body'], step.body);
  });
  return found;
}

/** What a send step of this journey provides to its template, with sample values. */
function probeData(journey: Journey, withSurvey: boolean, locale: string): object {
  const sample = {
    id: 'c-1',
    name: 'Sample',
    email: 'sample@example.com',
    locale,
    timeZone: 'UTC',
    attributes: {},
  };
  const survey =
    withSurvey && journey.survey ? { kind: journey.survey.kind, url: 'https://example.com/s/t' } : undefined;
  const links =
    journey.category === 'transactional'
      ? NO_LINKS
      : { unsubscribe: 'https://example.com/u/t', preferences: 'https://example.com/u/t' };
  return messageData(
    sample,
    { company: { name: 'Example', address: 'Example Street 1' }, links, survey },
    sampleRunData(journey),
  );
}

/** The run data the journey's steps can produce, with sample values (a template may use data.*). */
function sampleRunData(journey: Journey): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const step of journey.steps) {
    if (step.type === 'split') data[step.id] = step.paths[0].name;
    if (step.type === 'score') data[step.into] = 42;
    if (step.type === 'gift') {
      // A catalog gift (GiftData, as the gift step keeps it); a fixed voucher has only code, value and currency.
      data.gift =
        step.value === undefined
          ? {
              key: 'sample/c-1#gift',
              campaign: step.campaign,
              productId: 'sample-voucher',
              kind: 'digital',
              name: 'Sample voucher',
              value: 25,
              currency: 'EUR',
              cost: 25,
              costCurrency: 'EUR',
              code: 'ABCD-EFGH-JKLM',
              addressLink: 'https://example.com/g/t',
              confirmBy: '2026-12-07T10:00:00.000Z',
            }
          : { code: 'ABCD-EFGH-JKLM', value: step.value, currency: step.currency, campaign: step.campaign };
    }
    if (step.type === 'coupon') {
      data.coupon = {
        code: 'WB-ABCD-EFGH',
        campaign: step.campaign,
        percentOff: step.percentOff ?? null,
        amountOff: step.amountOff ?? null,
        currency: step.currency ?? null,
        expiresAt: '2026-12-07T10:00:00.000Z',
      };
    }
  }
  return data;
}
