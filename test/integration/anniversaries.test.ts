import { anniversaryEvents } from '../../activities/milestones/anniversary-events';
import { openDatabase, type Database } from '../../activities/store/database';
import { createStores } from '../../activities/store';

/** The daily scan's anniversary check over a real (in-memory) database: what each customer is due. */
describe('anniversaryEvents', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ kind: 'pglite' });
    const stores = createStores(db);
    const customer = { locale: 'en', timeZone: 'UTC', attributes: {} };
    for (const id of ['first-order', 'no-orders', 'too-late', 'too-early']) {
      await stores.customers.upsert(id, { email: `${id}@example.com`, ...customer });
    }
    // Customers since their first order, whenever they were created in Touchpoint (e.g. by an import)...
    await stores.orders.record(
      { id: 'o1', customerId: 'first-order', occurredAt: '2024-11-20T18:00:00Z', amount: 10, currency: 'EUR' },
      'import',
    );
    await stores.orders.record(
      { id: 'o2', customerId: 'first-order', occurredAt: '2025-06-01T10:00:00Z', amount: 10, currency: 'EUR' },
      'import',
    );
    await stores.orders.record(
      { id: 'o1', customerId: 'too-late', occurredAt: '2025-11-01T10:00:00Z', amount: 10, currency: 'EUR' },
      'import',
    );
    await stores.orders.record(
      { id: 'o1', customerId: 'too-early', occurredAt: '2025-11-24T10:00:00Z', amount: 10, currency: 'EUR' },
      'import',
    );
    // ...else since they were created.
    await db.query(`UPDATE customers SET created_at = '2025-11-23T08:00:00Z' WHERE id = 'no-orders'`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('routes the latest whole year within the grace days, with the deterministic milestone id', async () => {
    const asOf = '2026-11-23T03:00:00.000Z';
    const events = await anniversaryEvents(
      db,
      7,
      ['first-order', 'no-orders', 'too-late', 'too-early', 'nobody'],
      asOf,
    );
    expect(events).toEqual([
      {
        id: 'milestone:first-order:anniversary-2',
        type: 'milestone.reached',
        customerId: 'first-order',
        occurredAt: asOf,
        data: { milestone: 'anniversary-2', kind: 'anniversary', threshold: 2, since: '2024-11-20T18:00:00.000Z' },
      },
      {
        id: 'milestone:no-orders:anniversary-1',
        type: 'milestone.reached',
        customerId: 'no-orders',
        occurredAt: asOf,
        data: { milestone: 'anniversary-1', kind: 'anniversary', threshold: 1, since: '2025-11-23T08:00:00.000Z' },
      },
    ]);
    // With no grace, only today's anniversaries.
    expect((await anniversaryEvents(db, 0, ['first-order', 'no-orders'], asOf)).map((e) => e.id)).toEqual([
      'milestone:no-orders:anniversary-1',
    ]);
  });
});
