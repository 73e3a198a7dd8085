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

/** Parses and validates one journey YAML; problems carry the YAML line they point at. */
export function parseJourney(source: string, file: string): Journey {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true });
  if (doc.errors.length) {
    throw new JourneyDefinitionError(
      doc.errors.map((e) => ({ file, line: e.linePos?.[0].line, path: '(yaml)', message: e.message.split('\n')[0] })),
    );
  }
  const result = Journey.safeParse(doc.toJS());
  if (result.success) return result.data;
  throw new JourneyDefinitionError(
    result.error.issues.map((issue) => {
      // Point at the deepest node of the path that exists in the file.
      let line: number | undefined;
      for (let depth = issue.path.length; depth >= 0 && line === undefined; depth--) {
        const node = doc.getIn(issue.path.slice(0, depth) as (string | number)[], true) as
          { range?: [number, number, number] } | undefined;
        if (node?.range) line = lineCounter.linePos(node.range[0]).line;
      }
      return { file, line, path: issue.path.join('.') || '(root)', message: issue.message };
    }),
  );
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

  triggeredBy(eventType: string): Journey[] {
    return this.all().filter((journey) => journey.trigger.event === eventType);
  }
}
