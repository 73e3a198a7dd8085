import { mkdtempSync, rmSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { openDatabase } from '../../activities/store/database';
import { createStores } from '../../activities/store';
import { errorHandler } from '../../client/http/errors';
import { customerImportRoutes } from '../../client/http/routes/customer-import';
import type { ImportReport } from '../../model/customer-import';
import { generateImportFile } from './import-data';

/**
 * `npm run bench`: the bulk import benchmark (README "Benchmarks"). Generates a shop export of
 * BENCH_CUSTOMERS customers (default 100,000) with about three orders each, streams it through the real
 * HTTP route (POST /v1/customers/import) into PGlite on disk (or PostgreSQL when DATABASE_URL is set),
 * and prints throughput and peak memory. Exits 1 when the peak growth of the JS heap or of the process
 * RSS over the baseline exceeds its target: the import must stream, whatever the file size.
 */

const MB = 1024 * 1024;
/**
 * Targets for the peak growth during the import. The file is 24 MB; its 400,016 rows, parsed and held
 * (not streamed), take about 130 MB of heap even after garbage collection, so an import that buffers the
 * file fails the heap target. Streaming, the growth is a few tens of MB.
 */
export const HEAP_TARGET_MB = Number(process.env.BENCH_HEAP_TARGET_MB ?? 96);
export const RSS_TARGET_MB = Number(process.env.BENCH_RSS_TARGET_MB ?? 256);

async function main(): Promise<number> {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-bench-'));
  try {
    const generated = generateImportFile(path.join(dir, 'import.csv'), customers);
    console.log(
      `generated ${generated.customers} customers, ${generated.orders} orders, ${generated.rows} rows ` +
        `(${(generated.bytes / MB).toFixed(1)} MB)`,
    );
    const db = process.env.DATABASE_URL
      ? await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL })
      : await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'db') });
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    await app.register(customerImportRoutes, { stores: createStores(db) });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      global.gc?.();
      const baseline = process.memoryUsage();
      const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed };
      const sampler = setInterval(() => {
        const now = process.memoryUsage();
        peak.rss = Math.max(peak.rss, now.rss);
        peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
      }, 20);
      const started = performance.now();
      const response = await fetch(`${url}/v1/customers/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: Readable.toWeb(createReadStream(generated.file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      const report = (await response.json()) as ImportReport;
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      if (!response.ok) throw new Error(`import failed: HTTP ${response.status} ${JSON.stringify(report)}`);

      const heapGrowth = (peak.heapUsed - baseline.heapUsed) / MB;
      const rssGrowth = (peak.rss - baseline.rss) / MB;
      console.log(`database: ${db.description}`);
      console.log(
        `imported in ${seconds.toFixed(1)} s: ${Math.round(report.rows / seconds)} rows/s, ` +
          `${(generated.bytes / MB / seconds).toFixed(2)} MB/s`,
      );
      console.log(
        `customers ${JSON.stringify(report.customers)}, orders ${JSON.stringify(report.orders)}, ` +
          `rejected ${report.rejected.count}`,
      );
      console.log(
        `peak growth: heap ${heapGrowth.toFixed(0)} MB (target ${HEAP_TARGET_MB}), ` +
          `RSS ${rssGrowth.toFixed(0)} MB (target ${RSS_TARGET_MB})`,
      );
      const expectedRejected = generated.rejections.length;
      const correct =
        report.customers.created === generated.customers &&
        report.orders.new === generated.orders &&
        report.rejected.count === expectedRejected;
      if (!correct) console.error(`FAIL: counts differ from the generated file (${expectedRejected} bad rows)`);
      if (heapGrowth > HEAP_TARGET_MB) console.error(`FAIL: heap growth above ${HEAP_TARGET_MB} MB`);
      if (rssGrowth > RSS_TARGET_MB) console.error(`FAIL: RSS growth above ${RSS_TARGET_MB} MB`);
      return correct && heapGrowth <= HEAP_TARGET_MB && rssGrowth <= RSS_TARGET_MB ? 0 : 1;
    } finally {
      await app.close();
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
