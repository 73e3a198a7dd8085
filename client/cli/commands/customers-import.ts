import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { NDJSON, type ImportProgress, type ImportReport, type ImportStreamLine } from '../../../model/customer-import';
import type { Problem } from '../../../model/validation';
import { apiBaseUrl, CliError } from '../api';
import { print } from '../options';

/**
 * `touchpoint customers import <file.csv>`: streams the file to POST /v1/customers/import and shows the
 * server's progress (a bar on a terminal, a line per tenth otherwise), then the report. Exit 0 when the
 * import ran, also with rejected rows (they are listed); 2 on a fatal error (nothing imported) or, with
 * --strict, when any row was rejected. docs/customers.md
 */
export function registerCustomerImportCommand(customers: Command): void {
  customers
    .command('import <file>')
    .description('import customers and orders from a CSV file (POST /v1/customers/import); see docs/customers.md')
    .option('--dry-run', 'validate and count everything, then roll back: nothing is changed')
    .option('--strict', 'exit 2 when any row was rejected (the other rows are still imported unless --dry-run)')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { dryRun?: boolean; strict?: boolean; json?: boolean }) => {
      const size = fileSize(file);
      const progress = progressDisplay(size);
      let report: ImportReport;
      try {
        report = await upload(file, options.dryRun ?? false, progress.update);
      } finally {
        progress.stop();
      }
      print(options.json ?? false, report, () => formatImportReport(file, report));
      if (options.strict && report.rejected.count > 0) {
        throw new CliError(`${plural(report.rejected.count, 'row')} rejected (--strict)`, 2);
      }
    });
}

function fileSize(file: string): number {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    return stat.size;
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 2, [
      { path: 'file', message: 'not a readable file' },
    ]);
  }
}

async function upload(file: string, dryRun: boolean, onProgress: (p: ImportProgress) => void): Promise<ImportReport> {
  const base = apiBaseUrl();
  let response: Response;
  try {
    response = await fetch(new URL(`/v1/customers/import${dryRun ? '?dryRun=true' : ''}`, base), {
      method: 'POST',
      headers: { 'content-type': 'text/csv', accept: NDJSON },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      // a streamed request body (undici requires saying so)
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    throw new CliError(
      `cannot reach Touchpoint at ${base} (${(error as Error).cause ?? (error as Error).message}); ` +
        'start it with `npm start`, or set TOUCHPOINT_URL',
      1,
    );
  }
  if (!response.ok || !response.body) {
    const payload = (await response.json().catch(() => ({}))) as { message?: string; problems?: Problem[] };
    throw new CliError(payload.message ?? `HTTP ${response.status}`, response.status < 500 ? 2 : 1, payload.problems);
  }
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, newline)) as ImportStreamLine;
      buffered = buffered.slice(newline + 1);
      if (line.type === 'progress') onProgress(line);
      else if (line.type === 'report') return line.report;
      else throw new CliError(line.message, line.status < 500 ? 2 : 1, line.problems);
    }
  }
  throw new CliError('the connection ended before the import reported; check the server log', 1);
}

/** A bar on a terminal; else a plain line each time another tenth of the file is done. */
function progressDisplay(total: number) {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: 'importing [{bar}] {percentage}% | {rows} rows | {rejected} rejected',
      stream: process.stderr,
      hideCursor: true,
    });
    bar.start(Math.max(total, 1), 0, { rows: 0, rejected: 0 });
    return {
      update: (p: ImportProgress) => bar.update(p.bytes, { rows: p.rows, rejected: p.rejected }),
      stop: () => bar.stop(),
    };
  }
  let shownTenths = 0;
  return {
    update: (p: ImportProgress) => {
      const tenths = total > 0 ? Math.floor((10 * p.bytes) / total) : 10;
      if (tenths <= shownTenths) return;
      shownTenths = tenths;
      console.error(`importing: ${tenths * 10}% (${p.rows} rows, ${p.rejected} rejected)`);
    },
    stop: () => undefined,
  };
}

export function formatImportReport(file: string, report: ImportReport): string {
  const { customers, orders, rejected } = report;
  const lines = [
    report.dryRun ? `Dry run of ${file}: nothing was changed; an import would do this.` : `Imported ${file}.`,
    `  rows read   ${report.rows}`,
    `  customers   ${customers.created} created, ${customers.updated} updated, ${customers.unchanged} unchanged`,
    `  orders      ${orders.new} new, ${orders.known} already known`,
    `  rejected    ${plural(rejected.count, 'row')}${rejected.count > 0 ? ' (not imported):' : ''}`,
  ];
  for (const row of rejected.rows) {
    for (const problem of row.problems) lines.push(`    line ${row.line}  ${problem.column}: ${problem.message}`);
  }
  if (rejected.count > rejected.rows.length) {
    lines.push(
      `    ... and ${rejected.count - rejected.rows.length} more rows (the report lists the first ${rejected.rows.length})`,
    );
  }
  return lines.join('\n');
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
