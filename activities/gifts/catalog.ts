import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { GiftCatalog } from '../../model/gift';

/** The built-in catalog; GIFT_CATALOG=<path> replaces it. */
export const DEFAULT_GIFT_CATALOG = path.resolve(__dirname, '..', '..', 'gifts', 'catalog.yaml');

export interface GiftCatalogProblem {
  file: string;
  line?: number;
  /** Where in the file, e.g. campaigns.0.budget.period */
  path: string;
  message: string;
}

/** A catalog file that cannot be used: every problem with its file, line and YAML path. */
export class GiftCatalogError extends Error {
  constructor(readonly problems: GiftCatalogProblem[]) {
    super(
      `Gift catalog invalid:\n` +
        problems.map((p) => `  ${p.file}${p.line ? `:${p.line}` : ''} ${p.path}: ${p.message}`).join('\n') +
        '\nFix the catalog (see docs/gifts.md) or point GIFT_CATALOG at another file.',
    );
    this.name = 'GiftCatalogError';
  }
}

/** Parses and validates a catalog's YAML text; `file` names it in errors. */
export function parseGiftCatalog(source: string, file: string): GiftCatalog {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true });
  if (doc.errors.length) {
    throw new GiftCatalogError(
      doc.errors.map((e) => ({ file, line: e.linePos?.[0].line, path: '(yaml)', message: e.message.split('\n')[0] })),
    );
  }
  const result = GiftCatalog.safeParse(doc.toJS());
  if (result.success) return result.data;
  throw new GiftCatalogError(
    result.error.issues.map((issue) => {
      // the line of the deepest node of the path that the file has
      let line: number | undefined;
      for (let depth = issue.path.length; depth >= 0 && line === undefined; depth--) {
        const node = doc.getIn(issue.path.slice(0, depth) as (string | number)[], true) as
          { range?: [number, number, number] } | undefined;
        if (node?.range) line = lineCounter.linePos(node.range[0]).line;
      }
      return { file, line, path: issue.path.map(String).join('.') || '(root)', message: issue.message };
    }),
  );
}

/** Reads the catalog file (default: the built-in gifts/catalog.yaml). */
export function loadGiftCatalog(file = DEFAULT_GIFT_CATALOG): GiftCatalog {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GiftCatalogError([
      { file, path: '(file)', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` },
    ]);
  }
  return parseGiftCatalog(source, file);
}
