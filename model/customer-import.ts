import { z } from 'zod';
import { MarketingConsent } from './contact-policy';
import { CustomerId, Locale, TimeZone } from './customer';
import { CurrencyCode, Order } from './order';
import { InputError, type Problem } from './validation';

/**
 * The CSV format of `POST /v1/customers/import` (docs/customers.md). One format for customer files, order
 * files and both at once: every row names a customer (`customer_id`) and carries a customer (its `email`
 * and other customer columns), an order (`order_id`, `occurred_at`, `amount`, `currency`), or both. A shop
 * export of customers, one of orders, or of orders with their customer's columns repeated, all fit as they
 * are. Pure: the import service streams rows through `parseImportHeader` and `parseImportRow`.
 */

/** The customer's own columns; a row that fills any of them describes the customer and needs `email`. */
export const CUSTOMER_COLUMNS = ['email', 'name', 'locale', 'time_zone', 'marketing_consent'] as const;
/** The order's columns: all four, or none. */
export const ORDER_COLUMNS = ['order_id', 'occurred_at', 'amount', 'currency'] as const;
/** `attr.<name>` columns set customer attributes (as strings), e.g. `attr.tier`. */
export const ATTRIBUTE_PREFIX = 'attr.';
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;

export interface ImportHeader {
  /** the columns in file order */
  columns: string[];
  hasCustomers: boolean;
  hasOrders: boolean;
}

/**
 * Checks the header line. Unknown, duplicate or missing columns are fatal (InputError → 400, nothing
 * imported): a misspelt column would otherwise drop its data from every row without a word.
 */
export function parseImportHeader(cells: string[]): ImportHeader {
  const columns = cells.map((cell) => cell.trim());
  const problems: Problem[] = [];
  const known = new Set<string>(['customer_id', ...CUSTOMER_COLUMNS, ...ORDER_COLUMNS]);
  const seen = new Set<string>();
  columns.forEach((column, index) => {
    const where = `header column ${index + 1}`;
    if (seen.has(column)) problems.push({ path: where, message: `"${column}" appears twice`, line: 1 });
    seen.add(column);
    if (column.startsWith(ATTRIBUTE_PREFIX)) {
      if (!ATTRIBUTE_NAME.test(column.slice(ATTRIBUTE_PREFIX.length))) {
        problems.push({
          path: where,
          message: `"${column}": an attribute name after "attr." has 1–100 letters, digits or _ . : -`,
          line: 1,
        });
      }
    } else if (!known.has(column)) {
      problems.push({
        path: where,
        message:
          `unknown column "${column}"; known: customer_id, ${[...CUSTOMER_COLUMNS, ...ORDER_COLUMNS].join(', ')} ` +
          `and attr.<name>`,
        line: 1,
      });
    }
  });
  if (!seen.has('customer_id')) {
    problems.push({ path: 'header', message: 'the column "customer_id" is required', line: 1 });
  }
  const hasCustomers = columns.some(
    (c) => c.startsWith(ATTRIBUTE_PREFIX) || (CUSTOMER_COLUMNS as readonly string[]).includes(c),
  );
  if (hasCustomers && !seen.has('email')) {
    problems.push({ path: 'header', message: 'customer columns need the column "email"', line: 1 });
  }
  const orderColumns = ORDER_COLUMNS.filter((c) => seen.has(c));
  if (orderColumns.length > 0 && orderColumns.length < ORDER_COLUMNS.length) {
    const missing = ORDER_COLUMNS.filter((c) => !seen.has(c));
    problems.push({ path: 'header', message: `order columns need all of ${missing.join(', ')} as well`, line: 1 });
  }
  const hasOrders = orderColumns.length === ORDER_COLUMNS.length;
  if (!hasCustomers && !hasOrders && problems.length === 0) {
    problems.push({
      path: 'header',
      message: 'nothing to import: add "email" (customers) or order_id, occurred_at, amount, currency (orders)',
      line: 1,
    });
  }
  if (problems.length > 0) throw new InputError(problems, 'The CSV header is not valid, nothing was imported');
  return { columns, hasCustomers, hasOrders };
}

/** A date is midnight UTC; a datetime needs a zone, as a shop's local time would be ambiguous. */
const OrderTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be an ISO date (2026-01-31) or a datetime with a zone (2026-01-31T08:00:00Z)',
  })
  .transform((value) => (value.length === 10 ? `${value}T00:00:00Z` : value));

const Amount = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number such as 19.99 (a dot, no currency sign or thousands separator)')
  .transform(Number)
  .pipe(z.number().nonnegative('must not be negative (a refund is not an order)'));

/**
 * TimeZone, with its verdict remembered per zone name: checking a zone builds an Intl formatter (~0.2 ms),
 * which a 100,000-row file would otherwise repeat for the same few zones. At most 1,000 names are kept.
 */
const zoneVerdicts = new Map<string, string | null>();
const ImportTimeZone = z.string().superRefine((zone, ctx) => {
  let problem = zoneVerdicts.get(zone);
  if (problem === undefined) {
    problem = TimeZone.safeParse(zone).error?.issues[0]?.message ?? null;
    if (zoneVerdicts.size < 1000) zoneVerdicts.set(zone, problem);
  }
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** One data row as cells keyed by column; empty cells are left out before parsing (empty = not given). */
const ImportRowCells = z
  .object({
    customer_id: CustomerId,
    email: z.email().optional(),
    name: z.string().max(200).optional(),
    locale: Locale.optional(),
    time_zone: ImportTimeZone.optional(),
    marketing_consent: MarketingConsent.optional(),
    attributes: z.record(z.string(), z.string()),
    order_id: Order.shape.id.optional(),
    occurred_at: OrderTime.optional(),
    amount: Amount.optional(),
    currency: CurrencyCode.optional(),
  })
  .superRefine((row, ctx) => {
    const customerGiven = CUSTOMER_COLUMNS.some((c) => row[c] !== undefined) || Object.keys(row.attributes).length > 0;
    const orderGiven = ORDER_COLUMNS.some((c) => row[c] !== undefined);
    if (customerGiven && row.email === undefined) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'required when the row describes a customer' });
    }
    if (orderGiven) {
      for (const column of ORDER_COLUMNS) {
        if (row[column] === undefined) {
          ctx.addIssue({ code: 'custom', path: [column], message: 'required when the row has an order' });
        }
      }
    }
    if (!customerGiven && !orderGiven) {
      ctx.addIssue({
        code: 'custom',
        path: ['customer_id'],
        message: 'the row has neither a customer (email) nor an order (order_id): nothing to import',
      });
    }
  });

/** The customer part of a row; undefined fields were not given and keep the stored value (or the default). */
export interface ImportedCustomer {
  id: string;
  email: string;
  name?: string;
  locale?: string;
  timeZone?: string;
  marketingConsent?: MarketingConsent;
  /** merged into the stored attributes */
  attributes: Record<string, string>;
}

/** What a valid row asks for: a customer, an order, or both (the customer first). */
export interface ImportRow {
  customer?: ImportedCustomer;
  order?: Order;
}

/** A rejected row's problems, by column (`(row)` when the row as a whole is wrong). */
export type RowProblem = { column: string; message: string };

export type RowResult = { ok: true; row: ImportRow } | { ok: false; problems: RowProblem[] };

/**
 * Validates one data row against the header. A row with more or fewer cells than the header is rejected,
 * not guessed at. Problems name the column as it is in the file.
 */
export function parseImportRow(header: ImportHeader, cells: string[]): RowResult {
  if (cells.length !== header.columns.length) {
    return {
      ok: false,
      problems: [
        {
          column: '(row)',
          message: `has ${cells.length} cells, the header has ${header.columns.length} (a comma in a value needs quotes)`,
        },
      ],
    };
  }
  const raw: Record<string, unknown> = { attributes: {} };
  const attributes: Record<string, string> = {};
  header.columns.forEach((column, index) => {
    const value = cells[index].trim();
    if (value === '') return;
    if (column.startsWith(ATTRIBUTE_PREFIX)) attributes[column.slice(ATTRIBUTE_PREFIX.length)] = value;
    else raw[column] = value;
  });
  raw.attributes = attributes;
  const parsed = ImportRowCells.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        column:
          issue.path[0] === 'attributes' && issue.path.length > 1
            ? `${ATTRIBUTE_PREFIX}${String(issue.path[1])}`
            : issue.path.length
              ? String(issue.path[0])
              : '(row)',
        message: issue.message,
      })),
    };
  }
  const cellsOk = parsed.data;
  const row: ImportRow = {};
  if (cellsOk.email !== undefined) {
    row.customer = {
      id: cellsOk.customer_id,
      email: cellsOk.email,
      name: cellsOk.name,
      locale: cellsOk.locale,
      timeZone: cellsOk.time_zone,
      marketingConsent: cellsOk.marketing_consent,
      attributes: cellsOk.attributes,
    };
  }
  if (cellsOk.order_id !== undefined) {
    row.order = {
      id: cellsOk.order_id,
      customerId: cellsOk.customer_id,
      occurredAt: cellsOk.occurred_at!,
      amount: cellsOk.amount!,
      currency: cellsOk.currency!,
    };
  }
  return { ok: true, row };
}

/** How many rejected rows a report lists in full; the count covers them all. */
export const LISTED_REJECTIONS = 1000;

export interface RejectedRow {
  /** the line in the file (1 = the header) where the row starts */
  line: number;
  problems: RowProblem[];
}

/** What an import did (or, in a dry run, would do). */
export interface ImportReport {
  dryRun: boolean;
  /** data rows read (the header and empty lines not counted) */
  rows: number;
  customers: { created: number; updated: number; unchanged: number };
  orders: { new: number; known: number };
  rejected: {
    /** every rejected row */
    count: number;
    /** the first LISTED_REJECTIONS of them, in file order */
    rows: RejectedRow[];
  };
}

/** How far an import has got, streamed while it runs (NDJSON). */
export interface ImportProgress {
  rows: number;
  /** bytes of the file read so far */
  bytes: number;
  rejected: number;
}

/** The media type a client asks for (Accept) to get progress lines while the import runs. */
export const NDJSON = 'application/x-ndjson';

/** One line of the NDJSON answer: progress while the import runs, then the report or the fatal error. */
export type ImportStreamLine =
  | ({ type: 'progress' } & ImportProgress)
  | { type: 'report'; report: ImportReport }
  | { type: 'error'; status: number; error: string; message: string; problems: Problem[] };

/** The query of `POST /v1/customers/import`. */
export const ImportQuery = z
  .object({
    /** validate and count everything, then roll back */
    dryRun: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();
export type ImportQuery = z.infer<typeof ImportQuery>;
