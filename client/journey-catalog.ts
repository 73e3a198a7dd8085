import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { Journey } from '../model/journey';

export interface JourneyProblem {
  file: string;
  line?: number;
  path: string;
  message: string;
}

export class JourneyDefinitionError extends Error {
  constructor(readonly problems: JourneyProblem[]) {
    super(
      `Journey definition invalid:\n` +
        problems.map((p) => `  ${p.file}${p.line ? `:${p.line}` : ''} ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'JourneyDefinitionError';
  }
}

export type YamlPath = readonly (string | number)[];

/** A journey file read with its YAML positions, so every later check can name a line. */
export interface JourneySource {
  file: string;
  journey?: Journey;
  problems: JourneyProblem[];
  /** The problem at a path, pointing at the deepest node of the path that exists in the file. */
  problemAt(path: YamlPath, message: string): JourneyProblem;
}

export function readJourneySource(source: string, file: string): JourneySource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true });
  const problemAt = (path: YamlPath, message: string): JourneyProblem => {
    let line: number | undefined;
    for (let depth = path.length; depth >= 0 && line === undefined; depth--) {
      const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) line = lineCounter.linePos(node.range[0]).line;
    }
    return { file, line, path: path.join('.') || '(root)', message };
  };
  if (doc.errors.length) {
    const problems = doc.errors.map((e) => ({
      file,
      line: e.linePos?.[0].line,
      path: '(yaml)',
      message: e.message.split('\n')[0],
    }));
    return { file, problems, problemAt };
  }
  const result = Journey.safeParse(doc.toJS());
  if (result.success) return { file, journey: result.data, problems: [], problemAt };
  const problems = result.error.issues.map((issue) => problemAt(issue.path as YamlPath, issue.message));
  return { file, problems, problemAt };
}

/** Parses and validates one journey YAML; problems carry the YAML line they point at. */
export function parseJourney(source: string, file: string): Journey {
  const read = readJourneySource(source, file);
  if (!read.journey) throw new JourneyDefinitionError(read.problems);
  return read.journey;
}

/** The journeys a deployment runs: every `*.yaml` in a folder (by default the built-in `journeys/`). */
export class JourneyCatalog {
  private readonly byId: Map<string, Journey>;

  constructor(journeys: Journey[]) {
    this.byId = new Map(journeys.map((j) => [j.id, j]));
  }

  static fromDirectory(dir = path.resolve(__dirname, '..', 'journeys')): JourneyCatalog {
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    const journeys = files.map((f) => parseJourney(readFileSync(path.join(dir, f), 'utf8'), f));
    const problems = journeys.flatMap((journey, i) => {
      const first = journeys.findIndex((other) => other.id === journey.id);
      return first === i
        ? []
        : [{ file: files[i], path: 'id', message: `journey id "${journey.id}" is also used by ${files[first]}` }];
    });
    if (problems.length) throw new JourneyDefinitionError(problems);
    return new JourneyCatalog(journeys);
  }

  get(id: string): Journey | undefined {
    return this.byId.get(id);
  }

  all(): Journey[] {
    return [...this.byId.values()];
  }
}
