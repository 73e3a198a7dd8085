import { randomUUID } from 'node:crypto';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, parseEnvConfig } from '../../model/config';
import { RunStatus } from '../../model/run';
import type { RouteResult } from '../event-router';
import type { RunDetail, RunSummary } from '../runs';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { Journey } from '../../model/journey';
import { SimulatedCustomer, SimulatedEvents } from '../../model/simulation';
import { problemsOf } from '../../model/validation';
import { JourneyCatalog, JourneyDefinitionError, parseJourney } from '../journey-catalog';
import { TemplateLibrary } from '../../activities/email/templates';
import { journeyJsonSchema } from '../../model/journey-schema';
import { PROJECT_ROOT } from '../paths';
import { validateJourneyFile } from '../journey-validation';
import { callApi, CliError } from './api';
import { formatRunDetail, formatRunList } from './format';

const program = new Command('touchpoint')
  .description('Touchpoint: customer journeys (surveys, win-back, thank-you gifts) as durable Temporal workflows')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

/** A JSON-valued option; bad JSON is bad input (exit 2) naming the option. */
function parseJsonOption(option: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new CliError(`--${option} is not valid JSON: ${(error as Error).message}`, 2, [
      { path: option, message: 'not valid JSON' },
    ]);
  }
}

/** An option that is inline JSON (starts with "{" or "[") or the path of a JSON/YAML file. */
function readJsonOrFile(option: string, value: string): unknown {
  return /^\s*[[{]/.test(value) ? parseJsonOption(option, value) : readYamlFile(option, value);
}

function readYamlFile(option: string, file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`--${option}: cannot read ${file}: ${(error as Error).message}`, 2, [
      { path: option, message: 'unreadable file' },
    ]);
  }
}

function parseInput<T>(option: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = problemsOf(result.error).map((p) => ({ path: `${option}.${p.path}`, message: p.message }));
  throw new CliError(`--${option} is not valid`, 2, problems);
}

/** A journey file, or the id of a built-in journey. */
function loadJourneyArgument(value: string): Journey {
  if (existsSync(value)) {
    try {
      return parseJourney(readFileSync(value, 'utf8'), value);
    } catch (error) {
      if (error instanceof JourneyDefinitionError) {
        throw new CliError(
          error.message,
          2,
          error.problems.map((p) => ({ path: p.path, message: p.message })),
        );
      }
      throw error;
    }
  }
  const builtIn = JourneyCatalog.fromDirectory().get(value);
  if (!builtIn) {
    const known = JourneyCatalog.fromDirectory()
      .all()
      .map((j) => j.id);
    throw new CliError(`no journey file or built-in journey "${value}" (built-in: ${known.join(', ')})`, 2);
  }
  return builtIn;
}

const print = (json: boolean, value: unknown, text: () => string) =>
  console.log(json ? JSON.stringify(value, null, 2) : text());

program
  .command('start')
  .description(
    'start Touchpoint on its embedded defaults (Temporal dev server, PGlite, SMTP sink) or on what the environment configures',
  )
  .action(async () => {
    // Loaded on demand: the other commands only talk HTTP and should not load the worker.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runStart } = require('./start') as typeof import('./start');
    await runStart(parseEnvConfig(process.env));
  });

const events = program.command('events').description('send events that start and steer journeys');
events
  .command('send')
  .description('send one event to the running Touchpoint (POST /v1/events)')
  .requiredOption('--type <type>', 'event type, e.g. ticket.solved')
  .requiredOption('--customer <id>', 'customer id')
  .option('--data <json>', 'event data as a JSON object', '{}')
  .option('--id <id>', 'event id (the idempotency key); a new one when omitted')
  .option('--occurred-at <iso>', 'when it happened (ISO-8601); now when omitted')
  .option('--json', 'print the API answer as JSON')
  .action(async (options) => {
    const data = parseJsonOption('data', options.data);
    const id = options.id ?? randomUUID();
    const result = await callApi<RouteResult>('POST', '/v1/events', {
      id,
      type: options.type,
      customerId: options.customer,
      occurredAt: options.occurredAt,
      data,
    });
    print(options.json, result, () => {
      const lines = [
        `Event ${result.eventId}${result.duplicate ? ' was already received: nothing done again' : ' accepted'}`,
      ];
      for (const w of result.started) lines.push(`  started  ${w}`);
      for (const w of result.existing) lines.push(`  exists   ${w} (nothing new started)`);
      if (!result.duplicate && result.started.length + result.existing.length === 0)
        lines.push('  no journey starts on this event');
      return lines.join('\n');
    });
  });

const runs = program.command('runs').description('find and inspect journey runs');
runs
  .command('list')
  .description('list journey runs, newest first')
  .option('--journey <id>', 'only runs of this journey')
  .option('--customer <id>', 'only runs of this customer')
  .addOption(new Option('--status <status>', 'only runs in this status').choices(RunStatus.options))
  .option('--limit <n>', 'at most this many', '100')
  .option('--json', 'print JSON')
  .action(async (options) => {
    const query = new URLSearchParams();
    for (const key of ['journey', 'customer', 'status', 'limit'] as const)
      if (options[key]) query.set(key, options[key]);
    const result = await callApi<{ runs: RunSummary[] }>('GET', `/v1/runs?${query}`);
    print(options.json, result.runs, () => formatRunList(result.runs));
  });
runs
  .command('show <workflowId>')
  .description('show one run: status, answer and its timeline')
  .option('--json', 'print JSON')
  .action(async (workflowId: string, options) => {
    const run = await callApi<RunDetail>('GET', `/v1/runs/${workflowId.split('/').map(encodeURIComponent).join('/')}`);
    print(options.json, run, () => formatRunDetail(run));
  });

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
  .action((files: string[], options) => {
    const templates = new TemplateLibrary(options.templates);
    const problems = files.flatMap((file) => validateJourneyFile(file, templates));
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
  .option('--json', 'print the result as JSON')
  .action(async (journeyArg: string, options) => {
    // Loaded on demand, like `start`: it brings the worker and the test server.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { simulateJourney, formatSimulation } = require('../simulator') as typeof import('../simulator');
    const days = Number(options.days);
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      throw new CliError('--days must be a whole number from 1 to 3650', 2, [{ path: 'days', message: 'not 1..3650' }]);
    }
    const result = await simulateJourney({
      journey: loadJourneyArgument(journeyArg),
      customer: parseInput('customer', SimulatedCustomer, readJsonOrFile('customer', options.customer)),
      events: options.events ? parseInput('events', SimulatedEvents, readYamlFile('events', options.events)) : [],
      triggerData: options.trigger ? (parseJsonOption('trigger', options.trigger) as Record<string, unknown>) : {},
      days,
      log: (line) => console.error(line),
    });
    print(options.json, result, () => formatSimulation(result, days));
    if (result.failure) throw new CliError('the simulated run failed (see above)', 1);
  });

const customers = program.command('customers').description('the built-in CRM store');
customers
  .command('upsert <id>')
  .description('create or update a customer (PUT /v1/customers/:id)')
  .requiredOption('--email <email>', 'email address')
  .option('--name <name>', 'name used in emails')
  .option('--locale <locale>', 'language, e.g. en, de, de-CH')
  .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Berlin')
  .option('--attributes <json>', 'free-form attributes as a JSON object')
  .action(async (id: string, options) => {
    const body = {
      email: options.email,
      name: options.name,
      locale: options.locale,
      timeZone: options.timeZone,
      attributes: options.attributes ? parseJsonOption('attributes', options.attributes) : undefined,
    };
    const customer = await callApi<unknown>('PUT', `/v1/customers/${encodeURIComponent(id)}`, body);
    console.log(JSON.stringify(customer, null, 2));
  });

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError) {
      console.error(`touchpoint: ${error.message}`);
      for (const problem of error.problems) {
        console.error(`  ${problem.line ? `line ${problem.line}  ` : ''}${problem.path}: ${problem.message}`);
      }
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    console.error(error);
    return 1;
  }
}

main(process.argv).then((code) => {
  if (code !== 0) process.exit(code);
});
