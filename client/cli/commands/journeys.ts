import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { TemplateLibrary } from '../../../activities/email/templates';
import { GiftCatalogError, loadGiftCatalog } from '../../../activities/gifts/catalog';
import type { GiftCatalog } from '../../../model/gift';
import { contactPolicyOf, parseEnvConfig } from '../../config';
import { journeyJsonSchema } from '../../../model/journey-schema';
import { SimulatedCustomer, SimulatedEvents } from '../../../model/simulation';
import type { JourneyProblem } from '../../journey-catalog';
import { validateJourneyFile } from '../../journey-validation';
import { PROJECT_ROOT } from '../../paths';
import { callApi, CliError } from '../api';
import { loadJourneyArgument, parseInput, parseJsonOption, print, readJsonOrFile, readYamlFile } from '../options';

/** `touchpoint journeys schema|validate|publish|list|simulate` */
export function registerJourneysCommands(program: Command): void {
  const journeys = program.command('journeys').description('the journey definitions marketers write');
  journeys
    .command('schema')
    .description('print the JSON Schema of a journey file (for editor autocompletion), derived from the zod schema')
    .action(() => {
      console.log(JSON.stringify(journeyJsonSchema(), null, 2));
    });
  journeys
    .command('validate <files...>')
    .description('check journey files before they go live; exit 2 on any problem')
    .option('--templates <dir>', 'template folder', path.join(PROJECT_ROOT, 'templates'))
    .option(
      '--gift-catalog <file>',
      'the gift catalog gift steps name campaigns of (default: GIFT_CATALOG, else built-in)',
    )
    .action(async (files: string[], options) => {
      const templates = new TemplateLibrary(options.templates);
      const giftCatalog = giftCatalogOption(options.giftCatalog);
      const problems: JourneyProblem[] = [];
      for (const file of files) problems.push(...(await validateJourneyFile(file, templates, giftCatalog)));
      for (const p of problems) console.error(`${p.file}${p.line ? `:${p.line}` : ''}  ${p.path}: ${p.message}`);
      if (problems.length) {
        throw new CliError(`${problems.length} problem${problems.length === 1 ? '' : 's'} found`, 2);
      }
      console.log(`${files.length === 1 ? files[0] : `${files.length} journeys`}: valid`);
    });

  journeys
    .command('publish <file>')
    .description('publish a journey version to the running Touchpoint: new runs take it, running runs keep theirs')
    .action(async (file: string) => {
      const source = readFileSync(file, 'utf8');
      const result = await callApi<{ status: string; version: { journeyId: string; version: number } }>(
        'POST',
        '/v1/journeys',
        source,
        { contentType: 'application/yaml' },
      );
      const { journeyId, version } = result.version;
      console.log(
        result.status === 'published'
          ? `Published ${journeyId} v${version}: new runs start on it; running runs finish on their version.`
          : `${journeyId} v${version} is already published with this content: nothing changed.`,
      );
    });
  journeys
    .command('list')
    .description('journeys with their published versions and how many runs of each are in flight')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const result = await callApi<{
        journeys: {
          id: string;
          name?: string;
          latestVersion?: number;
          versions: { version: number; publishedAt: string; running: number }[];
        }[];
      }>('GET', '/v1/journeys');
      print(options.json, result.journeys, () =>
        result.journeys
          .map((j) =>
            [
              `${j.id}  ${j.name ?? ''}`,
              ...j.versions.map(
                (v) =>
                  `  v${v.version}${v.version === j.latestVersion ? ' (new runs)' : ''}  published ${v.publishedAt}  ${v.running} running`,
              ),
            ].join('\n'),
          )
          .join('\n'),
      );
    });
  journeys
    .command('simulate <journey>')
    .description(
      'run a journey (a file, or a built-in id) on the time-skipping server in dry run: a day-by-day timeline in seconds',
    )
    .requiredOption('--customer <json|file>', 'the customer: JSON like PUT /v1/customers takes (plus "id"), or a file')
    .option('--events <file>', 'YAML/JSON list of events the customer causes: [{ after: 2d, type: ..., data: {...} }]')
    .option('--trigger <json>', 'data of the triggering event (a trigger key gets a sample value when missing)')
    .option('--days <n>', 'how many days to simulate', '30')
    .option('--gift-catalog <file>', 'the gift catalog gift steps book from (default: GIFT_CATALOG, else built-in)')
    .option('--json', 'print the result as JSON')
    .action(async (journeyArg: string, options) => {
      // Loaded on demand, like `start`: it brings the worker and the test server.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { simulateJourney, formatSimulation } = require('../../simulator') as typeof import('../../simulator');
      const days = Number(options.days);
      if (!Number.isInteger(days) || days < 1 || days > 3650) {
        throw new CliError('--days must be a whole number from 1 to 3650', 2, [
          { path: 'days', message: 'not 1..3650' },
        ]);
      }
      const result = await simulateJourney({
        journey: loadJourneyArgument(journeyArg),
        customer: parseInput('customer', SimulatedCustomer, readJsonOrFile('customer', options.customer)),
        events: options.events ? parseInput('events', SimulatedEvents, readYamlFile('events', options.events)) : [],
        triggerData: options.trigger ? (parseJsonOption('trigger', options.trigger) as Record<string, unknown>) : {},
        days,
        policy: contactPolicyOf(parseEnvConfig(process.env)),
        giftCatalog: giftCatalogOption(options.giftCatalog),
        log: (line) => console.error(line),
      });
      print(options.json, result, () => formatSimulation(result, days));
      if (result.failure) throw new CliError('the simulated run failed (see above)', 1);
    });
}

/** --gift-catalog, else GIFT_CATALOG, else the built-in catalog; a broken catalog is bad input (exit 2). */
function giftCatalogOption(file: string | undefined): GiftCatalog {
  try {
    return loadGiftCatalog(file ?? (process.env.GIFT_CATALOG || undefined));
  } catch (error) {
    if (error instanceof GiftCatalogError) throw new CliError(error.message, 2);
    throw error;
  }
}
