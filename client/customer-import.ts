import type { Readable } from 'node:stream';
import { CsvError, parse, type Parser } from 'csv-parse';
import { CustomerImportStore } from '../activities/store/customer-import';
import type { Database, Queryable } from '../activities/store/database';
import {
  LISTED_REJECTIONS,
  parseImportHeader,
  parseImportRow,
  type ImportedCustomer,
  type ImportHeader,
  type ImportProgress,
  type ImportReport,
  type ImportRow,
  type RowProblem,
} from '../model/customer-import';
import type { Order } from '../model/order';
import { InputError } from '../model/validation';

/** Rows written per statement: large enough to amortise a round trip, small enough to stay a few hundred kB. */
export const IMPORT_BATCH_SIZE = 1000;

/** A CSV record longer than this is fatal: an unclosed quote would otherwise pull the rest of the file into one value. */
const MAX_RECORD_CHARS = 64 * 1024;

export interface ImportOptions {
  /** validate and count everything, then roll back */
  dryRun?: boolean;
  /** called after every batch and at the end */
  onProgress?: (progress: ImportProgress) => void;
}

/** Thrown inside the transaction to roll a dry run back; carries its report out. */
class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run: rolled back');
  }
}

/**
 * The bulk import of customers and orders (`POST /v1/customers/import`, docs/customers.md). Streams: the
 * CSV is parsed as it arrives, each row validated, and valid rows written in batches, all inside one
 * transaction, so memory holds one batch however large the file is, and a fatal error (malformed CSV, a
 * bad header, a database error) leaves nothing half-imported. Invalid rows are rejected and reported
 * with their line numbers; the others are imported. Imported orders are history: they go straight to the
 * orders table, not through the event router, so they start no journey.
 */
export class CustomerImport {
  private readonly store: CustomerImportStore;

  constructor(
    private readonly db: Database,
    private readonly batchSize = IMPORT_BATCH_SIZE,
  ) {
    this.store = new CustomerImportStore(db);
  }

  async run(input: Readable, options: ImportOptions = {}): Promise<ImportReport> {
    try {
      return await this.db.transaction(async (tx) => {
        const report = await this.importInto(tx, input, options);
        if (options.dryRun) throw new DryRunRollback(report);
        return report;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.report;
      if (error instanceof CsvError) {
        throw new InputError(
          [{ path: '(csv)', message: error.message, line: (error as CsvError & { lines?: number }).lines }],
          'The file is not valid CSV, nothing was imported',
        );
      }
      throw error;
    }
  }

  private async importInto(tx: Queryable, input: Readable, options: ImportOptions): Promise<ImportReport> {
    const parser = parse({
      bom: true,
      info: true,
      relax_column_count: true,
      max_record_size: MAX_RECORD_CHARS,
    });
    input.pipe(parser);
    // An upload that breaks off (the client went away) fails the parser, and so the import; the listener
    // stays, as an error while the rest is discarded (below) must not go unhandled.
    input.on('error', (error) => parser.destroy(error));
    try {
      return await this.parseAndWrite(tx, parser, options);
    } catch (error) {
      // The client may still be sending: read the rest and discard it, so that it gets the error as an
      // answer instead of a reset connection.
      input.unpipe(parser);
      input.resume();
      throw error;
    }
  }

  private async parseAndWrite(tx: Queryable, parser: Parser, options: ImportOptions): Promise<ImportReport> {
    const report: ImportReport = {
      dryRun: options.dryRun ?? false,
      rows: 0,
      customers: { created: 0, updated: 0, unchanged: 0 },
      orders: { new: 0, known: 0 },
      rejected: { count: 0, rows: [] },
    };
    await this.store.begin(tx);
    const batch = new Batch(tx, this.store, report);
    const progress = () =>
      options.onProgress?.({ rows: report.rows, bytes: parser.info.bytes, rejected: report.rejected.count });
    let header: ImportHeader | undefined;
    let lastLine = 0;
    let overcounted = 0;
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // a record starts on the line after the previous one ended (empty lines are records too, see below)
      const line = lastLine + 1;
      // csv-parse counts a CRLF inside a quoted value as two line breaks (a multi-line address in a
      // spreadsheet export, say): subtract the extra ones so line numbers stay those an editor shows
      overcounted += record.reduce((n, cell) => n + cell.split('\r\n').length - 1, 0);
      lastLine = info.lines - overcounted;
      if (record.every((cell) => cell.trim() === '')) continue;
      if (!header) {
        header = parseImportHeader(record);
        continue;
      }
      report.rows += 1;
      const result = parseImportRow(header, record);
      if (result.ok) await batch.add(line, result.row);
      else batch.reject(line, result.problems);
      if (batch.full(this.batchSize)) {
        await batch.flush();
        progress();
      }
    }
    if (!header) {
      throw new InputError(
        [{ path: 'header', message: 'the file is empty: the first line must name the columns', line: 1 }],
        'Nothing to import',
      );
    }
    await batch.flush();
    progress();
    return report;
  }
}

interface PendingCustomer {
  line: number;
  customer: ImportedCustomer;
  /** to recognise the same customer repeated with the same values (an orders export with customer columns) */
  fingerprint: string;
}

interface PendingOrder {
  line: number;
  order: Order;
  /** whether the row's customer was on this or an earlier line of the batch when the order was read */
  customerBefore: boolean;
}

const orderKey = (order: Order) => `${order.customerId}\u0000${order.id}`;

/** The rows waiting to be written, the rejections among them, and the report they add to. */
class Batch {
  private customers = new Map<string, PendingCustomer>();
  private orders = new Map<string, PendingOrder>();
  /** rejected rows of this batch, reported at the flush in file order */
  private rejections: Array<{ line: number; problems: RowProblem[] }> = [];

  constructor(
    private readonly tx: Queryable,
    private readonly store: CustomerImportStore,
    private readonly report: ImportReport,
  ) {}

  full(size: number): boolean {
    return this.customers.size + this.orders.size + this.rejections.length >= size;
  }

  reject(line: number, problems: RowProblem[]): void {
    this.rejections.push({ line, problems });
  }

  async add(line: number, row: ImportRow): Promise<void> {
    if (row.customer) {
      const fingerprint = JSON.stringify(row.customer);
      const pending = this.customers.get(row.customer.id);
      if (pending?.fingerprint === fingerprint) {
        this.report.customers.unchanged += 1;
      } else {
        // One statement must not write a row twice: a changed repeat goes into the next batch.
        if (pending) await this.flush();
        this.customers.set(row.customer.id, { line, customer: row.customer, fingerprint });
      }
    }
    if (row.order) {
      const key = orderKey(row.order);
      const earlier = this.orders.get(key);
      if (earlier) {
        this.reject(line, [duplicateOrder(row.order, `on line ${earlier.line}`)]);
        return;
      }
      this.orders.set(key, { line, order: row.order, customerBefore: this.customers.has(row.order.customerId) });
    }
  }

  async flush(): Promise<void> {
    const customers = [...this.customers.values()];
    const orders = [...this.orders.values()];
    const rejections = this.rejections;
    this.customers = new Map();
    this.orders = new Map();
    this.rejections = [];
    const writes = await this.store.upsertCustomers(
      customers.map((c) => c.customer),
      this.tx,
    );
    for (const write of writes.values()) this.report.customers[write] += 1;
    // An order whose customer this batch created from a later line came before its customer: rejected,
    // as it would have been had the batch ended between the two.
    const customerLine = new Map(customers.map((c) => [c.customer.id, c.line]));
    const toRecord: PendingOrder[] = [];
    for (const pending of orders) {
      const customerId = pending.order.customerId;
      if (!pending.customerBefore && writes.get(customerId) === 'created') {
        rejections.push({
          line: pending.line,
          problems: [unknownCustomer(pending.order, customerLine.get(customerId))],
        });
      } else {
        toRecord.push(pending);
      }
    }
    const results = await this.store.recordOrders(
      toRecord.map((p) => p.order),
      this.tx,
    );
    results.forEach((result, i) => {
      const { line, order } = toRecord[i];
      if (result === 'new' || result === 'known') this.report.orders[result] += 1;
      else if (result === 'unknown-customer') rejections.push({ line, problems: [unknownCustomer(order)] });
      else rejections.push({ line, problems: [duplicateOrder(order, 'on an earlier line')] });
    });
    const rejected = this.report.rejected;
    for (const row of rejections.sort((a, b) => a.line - b.line)) {
      rejected.count += 1;
      if (rejected.rows.length < LISTED_REJECTIONS) rejected.rows.push(row);
    }
  }
}

function unknownCustomer(order: Order, laterLine?: number): RowProblem {
  return {
    column: 'customer_id',
    message:
      `no customer "${order.customerId}": it is neither in Touchpoint nor on an earlier line of this file` +
      (laterLine ? ` (line ${laterLine} defines it later: put customers before their orders)` : '') +
      '; the order was not imported',
  };
}

function duplicateOrder(order: Order, where: string): RowProblem {
  return {
    column: 'order_id',
    message: `order "${order.id}" of customer "${order.customerId}" is already ${where} of this file; not imported again`,
  };
}
