import type { ImportedCustomer } from '../../model/customer-import';
import type { Order } from '../../model/order';
import { MarketingConsent } from '../../model/contact-policy';
import { ContactPreferences } from './contact-preferences';
import type { Queryable } from './database';

/** What writing a customer did; a customer whose stored fields already equal the row is left untouched. */
export type CustomerWrite = 'created' | 'updated' | 'unchanged';

/** What recording an imported order did, or why it could not be recorded. */
export type OrderWrite = 'new' | 'known' | 'unknown-customer' | 'duplicate-in-import';

/**
 * Batched writes for the bulk import (client/customer-import.ts): a few set-wise statements per batch, with
 * the batch passed as arrays (`unnest`), so neither a statement nor its parameter count grows with the
 * batch. Each method runs on the caller's transaction.
 */
export class CustomerImportStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Creates or updates the customers (ids unique within the batch). A field that is undefined keeps the
   * stored value (or takes the default on create); attributes merge into the stored ones. Returns what
   * happened per id.
   */
  async upsertCustomers(customers: ImportedCustomer[], db: Queryable = this.db): Promise<Map<string, CustomerWrite>> {
    if (customers.length === 0) return new Map();
    const writes = new Map<string, CustomerWrite>(customers.map((c) => [c.id, 'unchanged']));
    // New ones first, with the defaults: a plain insert, which is all a first import needs.
    const created = await db.query<{ id: string }>(
      `INSERT INTO customers (id, email, name, locale, time_zone, attributes)
       SELECT id, email, name, coalesce(locale, 'en'), coalesce(time_zone, 'UTC'), attributes
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
           AS v(id, email, name, locale, time_zone, attributes)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      columnsOfCustomers(customers),
    );
    for (const row of created) writes.set(row.id, 'created');
    const existing = customers.filter((c) => writes.get(c.id) !== 'created');
    if (existing.length > 0) {
      // The others exist: merge what the row gives into what is stored, and leave identical rows alone (a
      // second import of a file changes nothing, not even updated_at).
      const updated = await db.query<{ id: string }>(
        `UPDATE customers c SET email = v.email, name = coalesce(v.name, c.name), locale = coalesce(v.locale, c.locale),
           time_zone = coalesce(v.time_zone, c.time_zone), attributes = c.attributes || v.attributes, updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
             AS v(id, email, name, locale, time_zone, attributes)
          WHERE c.id = v.id
            AND (c.email, c.name, c.locale, c.time_zone, c.attributes) IS DISTINCT FROM
                (v.email, coalesce(v.name, c.name), coalesce(v.locale, c.locale), coalesce(v.time_zone, c.time_zone),
                 c.attributes || v.attributes)
        RETURNING c.id`,
        columnsOfCustomers(existing),
      );
      for (const row of updated) writes.set(row.id, 'updated');
    }
    await this.reportConsent(customers, db);
    return writes;
  }

  /** Marketing consent as the file reports it, a statement per kind of consent (the rules are ContactPreferences'). */
  private async reportConsent(customers: ImportedCustomer[], db: Queryable): Promise<void> {
    const preferences = new ContactPreferences(db);
    for (const consent of MarketingConsent.options) {
      const ids = customers.filter((c) => c.marketingConsent === consent).map((c) => c.id);
      await preferences.reportMarketingConsent(ids, consent, 'import');
    }
  }

  /**
   * Starts an import on the transaction `db`: a temporary table of the order keys seen so far in this
   * import, so an order id repeated far apart in a file is recognised without keeping every key in memory.
   * It is dropped when the transaction ends (also on rollback).
   */
  async begin(db: Queryable): Promise<void> {
    await db.query(
      'CREATE TEMPORARY TABLE import_order_keys (customer_id text, id text, PRIMARY KEY (customer_id, id)) ON COMMIT DROP',
    );
  }

  /**
   * Records the orders (keys unique within the batch) with source "import", on the transaction `begin`
   * prepared. An order whose key appeared earlier in this import is a duplicate; one whose customer does not
   * exist is not recorded; one the customer already has is left as it is ("known"). Returns the result per
   * order, in the order given.
   */
  async recordOrders(orders: Order[], db: Queryable): Promise<OrderWrite[]> {
    if (orders.length === 0) return [];
    const results: OrderWrite[] = orders.map(() => 'duplicate-in-import');
    const firstSeen = await db.query<{ customer_id: string; id: string }>(
      `INSERT INTO import_order_keys SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT DO NOTHING RETURNING customer_id, id`,
      [orders.map((o) => o.customerId), orders.map((o) => o.id)],
    );
    const fresh = new Set(firstSeen.map(keyOf));
    const toInsert = orders.filter((o) => fresh.has(keyOf({ customer_id: o.customerId, id: o.id })));
    const inserted = await db.query<{ customer_id: string; id: string }>(
      `INSERT INTO orders (customer_id, id, occurred_at, amount, currency, source)
       SELECT v.customer_id, v.id, v.occurred_at, v.amount, v.currency, 'import'
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::numeric[], $5::text[])
           AS v(customer_id, id, occurred_at, amount, currency)
         JOIN customers c ON c.id = v.customer_id
       ON CONFLICT (customer_id, id) DO NOTHING
       RETURNING customer_id, id`,
      columnsOf(toInsert),
    );
    const insertedKeys = new Set(inserted.map(keyOf));
    const rest: string[] = [];
    orders.forEach((o, i) => {
      const key = keyOf({ customer_id: o.customerId, id: o.id });
      if (insertedKeys.has(key)) results[i] = 'new';
      else if (fresh.has(key)) rest.push(o.customerId);
    });
    if (rest.length === 0) return results;
    // Rarely needed in a first import: whether the others' customers exist (then the order did already).
    const known = new Set(
      (await db.query<{ id: string }>('SELECT id FROM customers WHERE id = ANY($1::text[])', [[...new Set(rest)]])).map(
        (row) => row.id,
      ),
    );
    orders.forEach((o, i) => {
      const key = keyOf({ customer_id: o.customerId, id: o.id });
      if (fresh.has(key) && !insertedKeys.has(key)) results[i] = known.has(o.customerId) ? 'known' : 'unknown-customer';
    });
    return results;
  }
}

const keyOf = (row: { customer_id: string; id: string }) => `${row.customer_id}\u0000${row.id}`;

const columnsOf = (orders: Order[]) => [
  orders.map((o) => o.customerId),
  orders.map((o) => o.id),
  orders.map((o) => o.occurredAt),
  orders.map((o) => String(o.amount)),
  orders.map((o) => o.currency),
];

const columnsOfCustomers = (customers: ImportedCustomer[]) => [
  customers.map((c) => c.id),
  customers.map((c) => c.email),
  customers.map((c) => c.name ?? null),
  customers.map((c) => c.locale ?? null),
  customers.map((c) => c.timeZone ?? null),
  customers.map((c) => JSON.stringify(c.attributes)),
];
