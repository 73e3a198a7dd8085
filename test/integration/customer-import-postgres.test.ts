import { Readable } from 'node:stream';
import { openDatabase, type Database } from '../../activities/store/database';
import { WinbackMetricsStore } from '../../activities/store/winback-metrics';
import { CustomerImport } from '../../client/customer-import';
import type { ImportReport } from '../../model/customer-import';
import type { WinbackCounts } from '../../model/metrics';
import { postgresBinDir, startPostgres } from '../support/postgres';

// Like postgres.test.ts: CI installs PostgreSQL; a machine without it skips, saying why.
const available = postgresBinDir() !== undefined;
if (!available) console.warn('PostgreSQL is not installed: skipping the import on PostgreSQL');

/**
 * The import's and the win-back aggregate's SQL on a real PostgreSQL, with batches of two rows so every
 * path between batches runs (a changed repeat of a customer, an order id repeated in a later batch, an
 * order before its customer), and the same outcome as on PGlite.
 */
const FILE = [
  'customer_id,email,name,marketing_consent,attr.tier,order_id,occurred_at,amount,currency',
  'p1,p1@example.com,Pia,granted,"go""ld, or not",A-1,2026-01-05,19.99,EUR', // 2
  'p1,p1@example.com,Pia,granted,"go""ld, or not",A-2,2026-02-05T10:00:00Z,5,EUR', // 3 same customer again
  'p2,bad-email,Bo,,,,,,', //                                                  4 rejected
  'p3,,,,,A-9,2026-01-05,1,EUR', //                                            5 rejected: unknown customer
  'p1,,,,,A-1,2026-01-05,19.99,EUR', //                                        6 rejected: A-1 repeated
  'p6,,,,,B-1,2026-01-01,3,EUR', //                                            7 rejected: customer comes later
  'p6,p6@example.com,,soft-opt-in,,,,,', //                                    8
  'p1,p1@example.com,Pia Renamed,none,,,,,', //                                9 p1 changed
].join('\n');

(available ? describe : describe.skip)('customer import on PostgreSQL', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  const databases: Database[] = [];

  beforeAll(async () => {
    postgres = await startPostgres();
    databases.push(await openDatabase({ kind: 'postgres', url: postgres.url }), await openDatabase({ kind: 'pglite' }));
  });
  afterAll(async () => {
    for (const db of databases) await db.close();
    postgres?.stop();
  });

  async function importTwice(db: Database) {
    const importer = new CustomerImport(db, 2);
    const first = await importer.run(Readable.from([FILE]));
    const second = await importer.run(Readable.from([FILE]));
    const tables = {
      customers: await db.query('SELECT id, email, name, locale, time_zone, attributes FROM customers ORDER BY id'),
      orders: await db.query('SELECT customer_id, id, amount::text AS amount, source FROM orders ORDER BY 1, 2'),
      preferences: await db.query('SELECT customer_id, category, state FROM contact_preferences ORDER BY 1, 2'),
    };
    return { first, second, tables };
  }

  it('gives the same reports and rows as on PGlite', async () => {
    const [onPostgres, onPglite] = [await importTwice(databases[0]), await importTwice(databases[1])];
    expect(onPostgres).toEqual(onPglite);
    const lines = (report: ImportReport) => report.rejected.rows.map((row) => [row.line, row.problems[0].column]);
    expect(onPostgres.first).toMatchObject({
      rows: 8,
      // p1 created, repeated unchanged, changed on line 9 (updated); p6 created
      customers: { created: 2, updated: 1, unchanged: 1 },
      orders: { new: 2, known: 0 },
    });
    expect(lines(onPostgres.first)).toEqual([
      [4, 'email'],
      [5, 'customer_id'],
      [6, 'order_id'],
      [7, 'customer_id'],
    ]);
    // the second time p6 exists, so its order (line 7) is new; p1 flips back on line 2 and again on line 9
    expect(onPostgres.second).toMatchObject({
      customers: { created: 0, updated: 2, unchanged: 2 },
      orders: { new: 1, known: 2 },
    });
    expect(lines(onPostgres.second)).toEqual([
      [4, 'email'],
      [5, 'customer_id'],
      [6, 'order_id'],
    ]);
    expect(onPostgres.tables).toEqual({
      customers: [
        {
          id: 'p1',
          email: 'p1@example.com',
          name: 'Pia Renamed',
          locale: 'en',
          time_zone: 'UTC',
          attributes: { tier: 'go"ld, or not' },
        },
        { id: 'p6', email: 'p6@example.com', name: null, locale: 'en', time_zone: 'UTC', attributes: {} },
      ],
      orders: [
        { customer_id: 'p1', id: 'A-1', amount: '19.99', source: 'import' },
        { customer_id: 'p1', id: 'A-2', amount: '5', source: 'import' },
        { customer_id: 'p6', id: 'B-1', amount: '3', source: 'import' },
      ],
      // p1's consent was withdrawn by "none" on line 9
      preferences: [{ customer_id: 'p6', category: 'marketing', state: 'soft-opt-in' }],
    });
  });

  it('aggregates win-back outcomes the same way', async () => {
    const counts: WinbackCounts[][] = [];
    for (const db of databases) {
      await db.query(
        `INSERT INTO run_outcomes (workflow_id, journey_id, journey_version, customer_id, run_key, outcome, ended_by,
           holdout, started_at, ended_at)
         SELECT 'win-back/pg' || i, 'win-back', 1 + i % 2, 'pg' || i, '2026-0' || (1 + i % 3), 'x',
                CASE WHEN i % 4 = 0 THEN 'goal' END, i % 5 = 0, '2026-01-10', '2026-01-20'
           FROM generate_series(1, 60) AS i`,
      );
      counts.push(
        await new WinbackMetricsStore(db).counts({
          journey: 'win-back',
          since: '2026-01-01T00:00:00Z',
          until: '2026-02-01T00:00:00Z',
          by: 'version',
        }),
      );
    }
    const sorted = (c: WinbackCounts[]) => [...c].sort((a, b) => String(a.group).localeCompare(String(b.group)));
    expect(sorted(counts[0])).toEqual(sorted(counts[1]));
    // i = 1..60: odd i → version 2, even → 1; holdout when i % 5 = 0; won back when i % 4 = 0 (even only)
    // version 1: 30 runs (even i), holdout i ∈ {10, 20, 30, 40, 50, 60} = 6; won back: i % 4 = 0 → 15 runs,
    // of which holdout i ∈ {20, 40, 60} = 3. Version 2: 30 runs, holdout i ∈ {5, 15, 25, 35, 45, 55} = 6, none won.
    expect(sorted(counts[0])).toEqual([
      { group: '1', treated: { runs: 24, wonBack: 12 }, holdout: { runs: 6, wonBack: 3 } },
      { group: '2', treated: { runs: 24, wonBack: 0 }, holdout: { runs: 6, wonBack: 0 } },
    ]);
  });
});
