import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { Journey } from '../../model/journey';
import { problemsOf } from '../../model/validation';
import { JourneyCatalog, JourneyDefinitionError, parseJourney } from '../journey-catalog';
import { CliError } from './api';

/** Reading option values: bad input becomes a CliError (exit 2) naming the option. */

/** A JSON-valued option; bad JSON is bad input (exit 2) naming the option. */
export function parseJsonOption(option: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new CliError(`--${option} is not valid JSON: ${(error as Error).message}`, 2, [
      { path: option, message: 'not valid JSON' },
    ]);
  }
}

/** An option that is inline JSON (starts with "{" or "[") or the path of a JSON/YAML file. */
export function readJsonOrFile(option: string, value: string): unknown {
  return /^\s*[[{]/.test(value) ? parseJsonOption(option, value) : readYamlFile(option, value);
}

export function readYamlFile(option: string, file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`--${option}: cannot read ${file}: ${(error as Error).message}`, 2, [
      { path: option, message: 'unreadable file' },
    ]);
  }
}

export function parseInput<T>(option: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = problemsOf(result.error).map((p) => ({ path: `${option}.${p.path}`, message: p.message }));
  throw new CliError(`--${option} is not valid`, 2, problems);
}

/** A journey file, or the id of a built-in journey. */
export function loadJourneyArgument(value: string): Journey {
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

/** Prints JSON (--json) or the readable text. */
export const print = (json: boolean, value: unknown, text: () => string) =>
  console.log(json ? JSON.stringify(value, null, 2) : text());
