import { parseImportHeader, parseImportRow } from '../../../model/customer-import';
import { InputError } from '../../../model/validation';

/** The import's CSV format: header checks and per-row validation (docs/customers.md). */

const COMBINED = parseImportHeader([
  'customer_id',
  'email',
  'name',
  'locale',
  'time_zone',
  'marketing_consent',
  'attr.tier',
  'order_id',
  'occurred_at',
  'amount',
  'currency',
]);
const row = (...cells: string[]) => parseImportRow(COMBINED, cells);

describe('parseImportHeader', () => {
  it('recognises customer, order and combined files', () => {
    expect(parseImportHeader(['customer_id', 'email'])).toEqual({
      columns: ['customer_id', 'email'],
      hasCustomers: true,
      hasOrders: false,
    });
    expect(parseImportHeader(['order_id', 'customer_id', 'amount', 'currency', 'occurred_at'])).toMatchObject({
      hasCustomers: false,
      hasOrders: true,
    });
    expect(COMBINED).toMatchObject({ hasCustomers: true, hasOrders: true });
  });

  it('refuses unknown, repeated and missing columns, naming each', () => {
    const problemsOf = (cells: string[]) => {
      try {
        parseImportHeader(cells);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).problems.map((p) => `${p.path}: ${p.message}`);
      }
      throw new Error('expected the header to be refused');
    };
    expect(problemsOf(['customer_id', 'email', 'email'])).toEqual(['header column 3: "email" appears twice']);
    expect(problemsOf(['email'])).toEqual(['header: the column "customer_id" is required']);
    expect(problemsOf(['customer_id', 'name'])).toEqual(['header: customer columns need the column "email"']);
    expect(problemsOf(['customer_id', 'order_id', 'amount'])).toEqual([
      'header: order columns need all of occurred_at, currency as well',
    ]);
    expect(problemsOf(['customer_id'])).toEqual([
      'header: nothing to import: add "email" (customers) or order_id, occurred_at, amount, currency (orders)',
    ]);
    expect(problemsOf(['customer_id', 'email', 'attr.'])).toEqual([
      'header column 3: "attr.": an attribute name after "attr." has 1–100 letters, digits or _ . : -',
    ]);
  });
});

describe('parseImportRow', () => {
  it('a customer row: empty cells are not given, attributes are strings', () => {
    expect(row('c-1', 'ann@example.com', '', 'de-CH', '', 'soft-opt-in', 'gold', '', '', '', '')).toEqual({
      ok: true,
      row: {
        customer: {
          id: 'c-1',
          email: 'ann@example.com',
          name: undefined,
          locale: 'de-CH',
          timeZone: undefined,
          marketingConsent: 'soft-opt-in',
          attributes: { tier: 'gold' },
        },
      },
    });
  });

  it('an order row: a date is UTC midnight, amounts are numbers', () => {
    expect(row('c-1', '', '', '', '', '', '', 'A-1', '2026-01-31', '19.99', 'EUR')).toEqual({
      ok: true,
      row: {
        order: { id: 'A-1', customerId: 'c-1', occurredAt: '2026-01-31T00:00:00Z', amount: 19.99, currency: 'EUR' },
      },
    });
    expect(row('c-1', '', '', '', '', '', '', 'A-2', '2026-01-31T09:30:00+01:00', '0', 'USD')).toMatchObject({
      ok: true,
      row: { order: { occurredAt: '2026-01-31T09:30:00+01:00', amount: 0 } },
    });
  });

  it('a row with both: customer and order', () => {
    const result = row('c-2', 'bob@example.com', 'Bob', '', 'Europe/Berlin', '', '', 'B-1', '2026-02-01', '5', 'EUR');
    expect(result).toMatchObject({
      ok: true,
      row: { customer: { id: 'c-2', timeZone: 'Europe/Berlin' }, order: { id: 'B-1', customerId: 'c-2' } },
    });
  });

  it('reports every problem of a row by column', () => {
    expect(
      row('c 3', 'nope', '', 'de_DE', 'Europe/Nowhere', 'yes', '', 'X', '2026-01-31T08:00:00', '1,50', 'eur'),
    ).toEqual({
      ok: false,
      problems: [
        { column: 'customer_id', message: 'must not contain "/" or white space' },
        { column: 'email', message: 'Invalid email address' },
        { column: 'locale', message: 'must be a language tag such as "en", "de" or "de-CH"' },
        {
          column: 'time_zone',
          message: 'must be an IANA time zone such as "Europe/Berlin" or "America/New_York"',
        },
        { column: 'marketing_consent', message: 'Invalid option: expected one of "granted"|"soft-opt-in"|"none"' },
        {
          column: 'occurred_at',
          message: 'must be an ISO date (2026-01-31) or a datetime with a zone (2026-01-31T08:00:00Z)',
        },
        {
          column: 'amount',
          message: 'must be a decimal number such as 19.99 (a dot, no currency sign or thousands separator)',
        },
        { column: 'currency', message: 'must be an ISO 4217 code such as EUR' },
      ],
    });
  });

  it('the same bad time zone gets the same message every time (the verdict is remembered)', () => {
    const first = row('c-4', 'd@example.com', '', '', 'Mars/Olympus', '', '', '', '', '', '');
    const second = row('c-5', 'e@example.com', '', '', 'Mars/Olympus', '', '', '', '', '', '');
    expect(second).toEqual(first);
    expect(row('c-6', 'f@example.com', '', '', 'America/New_York', '', '', '', '', '', '')).toMatchObject({ ok: true });
  });

  it('rejects negative amounts, partial orders, customer columns without email, empty rows and wrong cell counts', () => {
    expect(row('c', '', '', '', '', '', '', 'A', '2026-01-01', '-1', 'EUR')).toEqual({
      ok: false,
      problems: [{ column: 'amount', message: 'must not be negative (a refund is not an order)' }],
    });
    expect(row('c', '', '', '', '', '', '', 'A', '', '', '')).toEqual({
      ok: false,
      problems: [
        { column: 'occurred_at', message: 'required when the row has an order' },
        { column: 'amount', message: 'required when the row has an order' },
        { column: 'currency', message: 'required when the row has an order' },
      ],
    });
    expect(row('c', '', 'Name', '', '', '', 'gold', '', '', '', '')).toEqual({
      ok: false,
      problems: [{ column: 'email', message: 'required when the row describes a customer' }],
    });
    expect(row('c', '', '', '', '', '', '', '', '', '', '')).toEqual({
      ok: false,
      problems: [
        {
          column: 'customer_id',
          message: 'the row has neither a customer (email) nor an order (order_id): nothing to import',
        },
      ],
    });
    expect(parseImportRow(COMBINED, ['c', 'x@example.com'])).toEqual({
      ok: false,
      problems: [{ column: '(row)', message: 'has 2 cells, the header has 11 (a comma in a value needs quotes)' }],
    });
  });
});
