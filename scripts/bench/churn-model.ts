import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../activities/store/database';
import { createStores } from '../../activities/store';
import { buildChurnModel } from '../../activities/scoring/churn-model';
import { DEFAULT_CHURN_SETTINGS } from '../../model/churn';

/**
 * `npm run bench:churn`: builds the churn base model (SQL aggregates, cut points, the BG/NBD fit over pages of
 * customers) for BENCH_CUSTOMERS customers (default 100,000, about three orders each) in PGlite on disk (or
 * PostgreSQL when DATABASE_URL is set; its orders table should be empty), and prints the time and peak memory.
 * Exits 1 when the JS heap (with array buffers) grows more than its target: the model must never hold the
 * base's orders; the fit's four Float64Arrays take at most 3.2 MB for 100,000 customers.
 */

const MB = 1024 * 1024;
const HEAP_TARGET_MB = Number(process.env.BENCH_HEAP_TARGET_MB ?? 64);

async function main(): Promise<number> {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-bench-churn-'));
  const db = process.env.DATABASE_URL
    ? await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL })
    : await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'db') });
  try {
    // 1 to 5 orders per customer, first orders over 300 days, gaps of 7 to 46 days (generated in SQL: fast)
    await db.query(
      `INSERT INTO orders (customer_id, id, occurred_at, amount, currency, source)
       SELECT 'bench-' || lpad(c::text, 7, '0'), 'o' || k,
              timestamptz '2025-01-01' + ((c % 300) + k * (7 + c % 40)) * interval '1 day',
              10 + (c % 90), 'EUR', 'import'
       FROM generate_series(1, $1::int) AS c, generate_series(0, 4) AS k
       WHERE k <= (c * 7) % 5`,
      [customers],
    );
    const [{ count }] = await db.query<{ count: string }>('SELECT count(*) FROM orders');
    console.log(`database: ${db.description}; ${customers} customers, ${count} orders`);

    global.gc?.();
    // the fit's columns are ArrayBuffers, outside heapUsed: count both
    const used = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;
    const baseline = process.memoryUsage();
    const peak = { rss: baseline.rss, used: used(baseline) };
    const sample = () => {
      const now = process.memoryUsage();
      peak.rss = Math.max(peak.rss, now.rss);
      peak.used = Math.max(peak.used, used(now));
    };
    // PGlite answers without returning to the event loop, so a timer would never sample: sample after every
    // query instead (each page of the fit's base is one), while the fit's arrays are allocated and filling.
    const sampled: Database = {
      ...db,
      query: async <Row>(sql: string, params?: unknown[]) => {
        const rows = await db.query<Row>(sql, params);
        sample();
        return rows;
      },
    };
    const started = performance.now();
    const model = await buildChurnModel(createStores(sampled), '2026-06-01T00:00:00Z', DEFAULT_CHURN_SETTINGS);
    const seconds = (performance.now() - started) / 1000;
    sample();

    const heapGrowth = (peak.used - used(baseline)) / MB;
    console.log(
      `model built in ${seconds.toFixed(1)} s: ${model.customers} customers, ${model.repeatCustomers} repeat buyers, ` +
        `BG/NBD ${model.bgNbd.source} ${JSON.stringify(model.bgNbd.params)} in ${model.bgNbd.iterations} iterations`,
    );
    console.log(
      `peak growth: heap and array buffers ${heapGrowth.toFixed(1)} MB (target ${HEAP_TARGET_MB}), ` +
        `RSS ${((peak.rss - baseline.rss) / MB).toFixed(0)} MB (PGlite's own memory included)`,
    );
    if (heapGrowth > HEAP_TARGET_MB) {
      console.error('FAIL: the heap grew past its target');
      return 1;
    }
    return 0;
  } finally {
    await db.close();
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
