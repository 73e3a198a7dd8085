import http from 'node:http';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Touchpoint } from '../../client/app';
import type { ImportReport, ImportStreamLine, RejectedRow } from '../../model/customer-import';
import { generateImportFile, ordersOf } from '../../scripts/bench/import-data';
import { touchpointCli } from '../support/cli';
import { startTestTouchpoint } from '../support/touchpoint';

/**
 * The bulk import on the real stack: POST /v1/customers/import and `touchpoint customers import`.
 * Every expected count and rejection is written out from the fixture by hand.
 */

const HEADER =
  'customer_id,email,name,locale,time_zone,marketing_consent,attr.tier,order_id,occurred_at,amount,currency';

// Line numbers are the file's (line 1 is the header); the comments say what each row must do.
const SMALL = [
  HEADER,
  'ann,ann@example.com,Ann,de,Europe/Berlin,granted,gold,,,,', //    2 customer created
  'ann,,,,,,,A-1,2026-01-05,19.99,EUR', //                           3 order new
  'ann,,,,,,,A-2,2026-02-10T09:30:00+01:00,5,EUR', //                4 order new
  'bob,not-an-email,Bob,,,,,,,,', //                                 5 rejected: email
  'bob,,,,,,,B-1,2026-01-05,10,EUR', //                              6 rejected: bob is unknown (line 5 was rejected)
  'cid,cid@example.com,,xx_YY,Mars/Olympus,maybe,,,,,', //           7 rejected: locale, time_zone, consent
  'ann,,,,,,,A-3,2026-02-30,5,EUR', //                               8 rejected: no 30 February
  'ann,,,,,,,A-4,2026-03-01,-1,EUR', //                              9 rejected: negative amount
  'ann,,,,,,,A-5,2026-03-01,1.5,eur', //                            10 rejected: currency
  'ann,,,,,,,A-1,2026-03-01,1,EUR', //                              11 rejected: A-1 is on line 3
  'dan,dan@example.com,,,,soft-opt-in,,D-1,2026-03-02,7.5,USD', //  12 customer created + order new
  'eve,eve@example.com,Eve,,,,,,,,', //                             13 customer created
  'eve,,,,,,,E-1,,,', //                                            14 rejected: order columns missing
  'fay,fay@example.com', //                                         15 rejected: 2 cells
  '"gus","gus@example.com","Gus, Jr.",,,,,,,,', //                  16 customer created (quoted comma)
  ',x@example.com,,,,,,,,,', //                                     17 rejected: no customer_id
  'hal,hal@example.com,Hal,,,none,silver,,,,', //                   18 existing customer updated, locale kept
  '', //                                                            19 empty lines are skipped
  'hal,,,,,,,H-1,2025-12-24T18:00:00Z,120,EUR', //                  20 order new
].join('\n');

const SMALL_REJECTED: RejectedRow[] = [
  { line: 5, problems: [{ column: 'email', message: 'Invalid email address' }] },
  {
    line: 6,
    problems: [
      {
        column: 'customer_id',
        message:
          'no customer "bob": it is neither in Touchpoint nor on an earlier line of this file; the order was not imported',
      },
    ],
  },
  {
    line: 7,
    problems: [
      { column: 'locale', message: 'must be a language tag such as "en", "de" or "de-CH"' },
      {
        column: 'time_zone',
        message: 'must be an IANA time zone such as "Europe/Berlin" or "America/New_York"',
      },
      { column: 'marketing_consent', message: 'Invalid option: expected one of "granted"|"soft-opt-in"|"none"' },
    ],
  },
  {
    line: 8,
    problems: [
      {
        column: 'occurred_at',
        message: 'must be an ISO date (2026-01-31) or a datetime with a zone (2026-01-31T08:00:00Z)',
      },
    ],
  },
  { line: 9, problems: [{ column: 'amount', message: 'must not be negative (a refund is not an order)' }] },
  { line: 10, problems: [{ column: 'currency', message: 'must be an ISO 4217 code such as EUR' }] },
  {
    line: 11,
    problems: [
      {
        column: 'order_id',
        message: 'order "A-1" of customer "ann" is already on line 3 of this file; not imported again',
      },
    ],
  },
  {
    line: 14,
    problems: [
      { column: 'occurred_at', message: 'required when the row has an order' },
      { column: 'amount', message: 'required when the row has an order' },
      { column: 'currency', message: 'required when the row has an order' },
    ],
  },
  {
    line: 15,
    problems: [{ column: '(row)', message: 'has 2 cells, the header has 11 (a comma in a value needs quotes)' }],
  },
  { line: 17, problems: [{ column: 'customer_id', message: 'Invalid input: expected string, received undefined' }] },
];

describe('customer and order import', () => {
  let touchpoint: Touchpoint;
  let dir: string;
  const url = () => touchpoint.url;
  const db = () => touchpoint.stores.db;

  const post = (body: string | Readable, options: { query?: string; accept?: string; type?: string } = {}) =>
    fetch(`${url()}/v1/customers/import${options.query ?? ''}`, {
      method: 'POST',
      headers: { 'content-type': options.type ?? 'text/csv', ...(options.accept ? { accept: options.accept } : {}) },
      body: typeof body === 'string' ? body : (Readable.toWeb(body) as ReadableStream),
      duplex: 'half',
    } as RequestInit);

  /** Everything an import can change, in full. */
  const snapshot = async () => ({
    customers: await db().query('SELECT * FROM customers ORDER BY id'),
    orders: await db().query('SELECT * FROM orders ORDER BY customer_id, id'),
    preferences: await db().query('SELECT * FROM contact_preferences ORDER BY customer_id, category'),
  });

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint();
    dir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-import-'));
  });
  afterAll(async () => {
    await touchpoint?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the valid rows of a file and reports each rejected row with its line, column and reason', async () => {
    // hal exists already, in French, with an attribute and marketing consent
    const put = await fetch(`${url()}/v1/customers/hal`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'hal@old.example.com',
        locale: 'fr',
        attributes: { vip: 'yes' },
        consent: { marketing: 'granted' },
      }),
    });
    expect(put.status).toBe(201);

    const response = await post(SMALL);
    expect(response.status).toBe(200);
    const report = (await response.json()) as ImportReport;
    expect(report).toEqual({
      dryRun: false,
      rows: 18,
      customers: { created: 4, updated: 1, unchanged: 0 },
      orders: { new: 4, known: 0 },
      rejected: { count: 10, rows: SMALL_REJECTED },
    });

    const customers = await db().query<Record<string, unknown>>(
      `SELECT id, email, name, locale, time_zone, attributes FROM customers
        WHERE id IN ('ann', 'bob', 'cid', 'dan', 'eve', 'fay', 'gus', 'hal') ORDER BY id`,
    );
    expect(customers).toEqual([
      {
        id: 'ann',
        email: 'ann@example.com',
        name: 'Ann',
        locale: 'de',
        time_zone: 'Europe/Berlin',
        attributes: { tier: 'gold' },
      },
      { id: 'dan', email: 'dan@example.com', name: null, locale: 'en', time_zone: 'UTC', attributes: {} },
      { id: 'eve', email: 'eve@example.com', name: 'Eve', locale: 'en', time_zone: 'UTC', attributes: {} },
      { id: 'gus', email: 'gus@example.com', name: 'Gus, Jr.', locale: 'en', time_zone: 'UTC', attributes: {} },
      // empty cells keep what was stored (locale fr); attributes merge
      {
        id: 'hal',
        email: 'hal@example.com',
        name: 'Hal',
        locale: 'fr',
        time_zone: 'UTC',
        attributes: { vip: 'yes', tier: 'silver' },
      },
    ]);
    const orders = await db().query<Record<string, unknown>>(
      `SELECT customer_id, id, occurred_at, amount::text AS amount, currency, source FROM orders
        WHERE customer_id IN ('ann', 'bob', 'dan', 'eve', 'hal') ORDER BY customer_id, id`,
    );
    expect(orders).toEqual([
      {
        customer_id: 'ann',
        id: 'A-1',
        occurred_at: new Date('2026-01-05T00:00:00Z'),
        amount: '19.99',
        currency: 'EUR',
        source: 'import',
      },
      {
        customer_id: 'ann',
        id: 'A-2',
        occurred_at: new Date('2026-02-10T08:30:00Z'),
        amount: '5',
        currency: 'EUR',
        source: 'import',
      },
      {
        customer_id: 'dan',
        id: 'D-1',
        occurred_at: new Date('2026-03-02T00:00:00Z'),
        amount: '7.5',
        currency: 'USD',
        source: 'import',
      },
      {
        customer_id: 'hal',
        id: 'H-1',
        occurred_at: new Date('2025-12-24T18:00:00Z'),
        amount: '120',
        currency: 'EUR',
        source: 'import',
      },
    ]);
    // granted for ann, soft opt-in for dan, and hal's "none" withdrew the consent hal had
    const preferences = await db().query(
      `SELECT customer_id, state, source FROM contact_preferences
        WHERE category = 'marketing' AND customer_id IN ('ann', 'dan', 'hal') ORDER BY customer_id`,
    );
    expect(preferences).toEqual([
      { customer_id: 'ann', state: 'granted', source: 'import' },
      { customer_id: 'dan', state: 'soft-opt-in', source: 'import' },
    ]);

    // the same file again changes nothing: no row touched (updated_at included), no order twice
    const before = await snapshot();
    const again = (await (await post(SMALL)).json()) as ImportReport;
    expect(again).toEqual({
      dryRun: false,
      rows: 18,
      customers: { created: 0, updated: 0, unchanged: 5 },
      orders: { new: 0, known: 4 },
      rejected: { count: 10, rows: SMALL_REJECTED },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('an order id repeated batches apart is rejected on every import, also when the order is already known', async () => {
    // line 2: customer + order R-1; lines 3–1002: 1,000 other customers (a batch is 1,000 rows); line 1003: R-1 again
    const filler = Array.from({ length: 1000 }, (_, i) => `rf${i},rf${i}@example.com,,,,,,,,,`);
    const file = [
      HEADER,
      'r1,r1@example.com,,,,,,R-1,2026-01-01,10,EUR',
      ...filler,
      'r1,,,,,,,R-1,2026-01-02,99,EUR',
    ].join('\n');
    const duplicate = {
      count: 1,
      rows: [
        {
          line: 1003,
          problems: [
            {
              column: 'order_id',
              message: 'order "R-1" of customer "r1" is already on an earlier line of this file; not imported again',
            },
          ],
        },
      ],
    };
    const first = (await (await post(file)).json()) as ImportReport;
    expect(first).toMatchObject({ orders: { new: 1, known: 0 }, rejected: duplicate });
    const second = (await (await post(file)).json()) as ImportReport;
    expect(second).toMatchObject({ orders: { new: 0, known: 1 }, rejected: duplicate });
    expect(await db().query(`SELECT amount::text AS amount FROM orders WHERE customer_id = 'r1'`)).toEqual([
      { amount: '10' },
    ]);
  });

  it('counts lines as an editor does: CRLF line ends, values spanning lines, a byte order mark', async () => {
    const file =
      '\ufeffcustomer_id,email,name,attr.address\r\n' +
      'mo,mo@example.com,Mo,"1 Main St\r\nApt 2\r\nSpringfield"\r\n' + // lines 2–4
      'ned,ned@example.com,Ned,"5 Side St\nBackyard"\r\n' + //               lines 5–6
      'oz,not-an-email,Oz,\r\n'; //                                        line 7
    const report = (await (await post(file, { query: '?dryRun=true' })).json()) as ImportReport;
    expect(report.customers.created).toBe(2);
    expect(report.rejected.rows).toEqual([
      { line: 7, problems: [{ column: 'email', message: 'Invalid email address' }] },
    ]);
  });

  it('a dry run reports what an import would do and changes nothing', async () => {
    const file = [HEADER, 'ivy,ivy@example.com,Ivy,,,,,I-1,2026-01-01,3,EUR', 'ivy,,,,,,,I-2,2026-13-01,3,EUR'].join(
      '\n',
    );
    const before = await snapshot();
    const response = await post(file, { query: '?dryRun=true' });
    expect(await response.json()).toEqual({
      dryRun: true,
      rows: 2,
      customers: { created: 1, updated: 0, unchanged: 0 },
      orders: { new: 1, known: 0 },
      rejected: {
        count: 1,
        rows: [
          {
            line: 3,
            problems: [
              {
                column: 'occurred_at',
                message: 'must be an ISO date (2026-01-31) or a datetime with a zone (2026-01-31T08:00:00Z)',
              },
            ],
          },
        ],
      },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('a fatal error imports nothing, also after whole batches were written', async () => {
    // 2,500 good customers (two full batches of 1,000 are written before the error) and then a quote
    // that never closes
    const good = Array.from({ length: 2500 }, (_, i) => `f${i},f${i}@example.com,,,,,,,,,`);
    const malformed = [HEADER, ...good, 'f-bad,"f-bad@example.com,,,,,,,,,', 'f-x,fx@example.com,,,,,,,,,'].join('\n');
    const before = await snapshot();
    const response = await post(malformed);
    expect(response.status).toBe(400);
    const error = (await response.json()) as { message: string; problems: unknown[] };
    expect(error.message).toMatch(/^The file is not valid CSV, nothing was imported: \(csv\): Quote Not Closed/);
    expect(error.problems).toEqual([{ path: '(csv)', message: expect.stringMatching(/Quote Not Closed/), line: 2503 }]);
    expect(await snapshot()).toEqual(before);

    // an unknown column is fatal too: its values would silently be lost
    const unknown = await post('customer_id,email,phone\njo,jo@example.com,123\n');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: 'invalid_request',
      message: expect.stringContaining('nothing was imported'),
      problems: [
        {
          path: 'header column 3',
          line: 1,
          message:
            'unknown column "phone"; known: customer_id, email, name, locale, time_zone, marketing_consent, ' +
            'order_id, occurred_at, amount, currency and attr.<name>',
        },
      ],
    });

    // found at once in a large upload still being sent: the client gets the answer, not a reset connection
    function* largeUpload() {
      yield 'customer_id,emial\n';
      for (let i = 0; i < 200; i++) yield Array.from({ length: 1000 }, (_, j) => `l${i}-${j},x@example.com\n`).join('');
    }
    const large = await post(Readable.from(largeUpload()));
    expect(large.status).toBe(400);
    expect(await large.json()).toMatchObject({ problems: [{ path: 'header column 2', line: 1 }] });

    // streamed (NDJSON): the error is the last line, with the same problems
    const streamed = await post(malformed, { accept: 'application/x-ndjson' });
    expect(streamed.status).toBe(200);
    const lines = (await streamed.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ImportStreamLine);
    expect(lines.slice(0, -1).map((line) => line.type)).toEqual(['progress', 'progress']);
    expect(lines.at(-1)).toMatchObject({ type: 'error', status: 400, problems: [{ path: '(csv)', line: 2503 }] });
    expect(await snapshot()).toEqual(before);
  });

  it('takes CSV only as text/csv; the JSON API next to it is unaffected', async () => {
    const json = await post('{"customer_id":"x"}', { type: 'application/json' });
    expect(json.status).toBe(415);
    expect(await json.json()).toMatchObject({ message: 'send the CSV file as the body with Content-Type: text/csv' });
    const empty = await post('');
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({
      problems: [{ path: 'header', message: expect.stringMatching(/empty/) }],
    });
  });

  it('the CLI streams the file, shows progress and the report; --strict and fatal errors exit 2', async () => {
    const file = path.join(dir, 'cli.csv');
    writeFileSync(
      file,
      [
        HEADER,
        'kim,kim@example.com,Kim,,,,,K-1,2026-01-01,12,EUR',
        'kim,,,,,,,K-2,2026-01-02,-12,EUR',
        'lou,lou@example.com,Lou,,,,,,,,',
      ].join('\n'),
    );
    const cli = (...args: string[]) => touchpointCli(args, url());

    const dry = await cli('customers', 'import', file, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Dry run of ${file}: nothing was changed`);
    expect(await db().query(`SELECT id FROM customers WHERE id = 'kim'`)).toEqual([]);

    const run = await cli('customers', 'import', file);
    expect(run.code).toBe(0);
    // not a terminal: plain progress lines on stderr
    expect(run.stderr).toBe('importing: 100% (3 rows, 1 rejected)\n');
    expect(run.stdout).toBe(
      [
        `Imported ${file}.`,
        '  rows read   3',
        '  customers   2 created, 0 updated, 0 unchanged',
        '  orders      1 new, 0 already known',
        '  rejected    1 row (not imported):',
        '    line 3  amount: must not be negative (a refund is not an order)',
        '',
      ].join('\n'),
    );

    const strict = await cli('customers', 'import', file, '--strict', '--json');
    expect(strict.code).toBe(2);
    expect(JSON.parse(strict.stdout)).toMatchObject({ customers: { unchanged: 2 }, orders: { known: 1 } });
    expect(strict.stderr).toContain('touchpoint: 1 row rejected (--strict)');

    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, 'customer_id,email,nmae\nx,x@example.com,X\n');
    const fatal = await cli('customers', 'import', broken);
    expect(fatal.code).toBe(2);
    expect(fatal.stderr).toContain('touchpoint: The CSV header is not valid, nothing was imported');
    expect(fatal.stderr).toContain('line 1  header column 3: unknown column "nmae"');

    const missing = await cli('customers', 'import', path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  // 100,000 customers with one order each (200,000 rows) keeps this test at a few minutes on a busy
  // two-core machine with the embedded PGlite; `npm run bench` imports 300,000 orders and checks memory.
  it('imports 100,000 customers with orders and reports the bad rows exactly', async () => {
    const generated = generateImportFile(path.join(dir, 'big.csv'), 100_000, { maxOrders: 1 });
    expect(generated.orders).toBe(100_000);
    const response = await post(createReadStream(generated.file));
    expect(response.status).toBe(200);
    const report = (await response.json()) as ImportReport;
    // 100,000 customer rows, 100,000 order rows, 4 × 4 bad rows
    expect(report.rows).toBe(200_016);
    expect(report.customers).toEqual({ created: 100_000, updated: 0, unchanged: 0 });
    expect(report.orders).toEqual({ new: 100_000, known: 0 });
    // four bad rows after every 25,000th customer: negative amount, bad date, unknown customer, repeated id
    expect(report.rejected.count).toBe(16);
    expect(report.rejected.rows.map((row) => ({ line: row.line, column: row.problems[0].column }))).toEqual(
      generated.rejections,
    );
    // customer 25,000's rows start on line 1 + 2 × 24,999 + 1 = 50,000 (its customer row), its order on 50,001
    expect(generated.rejections.slice(0, 4)).toEqual([
      { line: 50_002, column: 'amount' },
      { line: 50_003, column: 'occurred_at' },
      { line: 50_004, column: 'customer_id' },
      { line: 50_005, column: 'order_id' },
    ]);
    const [counts] = await db().query<{ customers: number; orders: number; c25000: number }>(
      `SELECT (SELECT count(*)::int FROM customers WHERE id ~ '^c[0-9]+$') AS customers,
              (SELECT count(*)::int FROM orders WHERE customer_id ~ '^c[0-9]+$') AS orders,
              (SELECT count(*)::int FROM orders WHERE customer_id = 'c25000') AS c25000`,
    );
    expect(counts).toEqual({ customers: 100_000, orders: 100_000, c25000: ordersOf(25_000, 1) });
  }, 600_000);
});

describe('an upload that stalls', () => {
  let touchpoint: Touchpoint;
  beforeAll(async () => {
    touchpoint = await startTestTouchpoint({ IMPORT_IDLE_TIMEOUT: '2s' });
  });
  afterAll(() => touchpoint?.stop());

  it('is cut off after IMPORT_IDLE_TIMEOUT, rolled back, and leaves the database free', async () => {
    const { port } = new URL(touchpoint.url);
    // The header and one customer, then nothing more: a client that hangs mid-upload.
    const closed = new Promise<string>((resolve) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/customers/import',
          headers: { 'content-type': 'text/csv' },
        },
        (response) => {
          response.resume();
          response.on('close', () => resolve(`answered ${response.statusCode}`));
        },
      );
      request.on('error', (error) => resolve(`cut off: ${error.message}`));
      request.write('customer_id,email\nstalled-1,stalled@example.com\n');
    });
    expect(await closed).toMatch(/^(cut off|answered)/);
    // The transaction was rolled back, and the database answers again.
    const put = await fetch(`${touchpoint.url}/v1/customers/after-stall`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'after@example.com' }),
    });
    expect(put.status).toBe(201);
    expect(await touchpoint.stores.customers.get('stalled-1')).toBeUndefined();
  });
});
