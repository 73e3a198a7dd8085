import { openDatabase, type Database } from '../../activities/store/database';
import { createStores, type Stores } from '../../activities/store';
import type { Booking } from '../../activities/store/gifts';
import { GiftCatalog } from '../../model/gift';
import { postgresBinDir, startPostgres } from '../support/postgres';

/**
 * The gift ledger under contention, on the database itself: bookings that race for the last of a budget,
 * or for one customer's cooldown, are decided one after the other (row locks), never both.
 */
const catalog = GiftCatalog.parse({
  campaigns: [
    // a budget of exactly one gift
    { id: 'thank-you', budget: { amount: 25, currency: 'EUR', period: 'month' }, products: ['voucher'] },
    { id: 'anniversary', budget: { amount: 1000, currency: 'EUR', period: 'year' }, products: ['voucher'] },
  ],
  products: [{ id: 'voucher', kind: 'digital', name: { en: 'Voucher' }, value: 25, currency: 'EUR', cost: 25 }],
});
const NOW = new Date('2026-11-23T10:00:00Z');
const ADDRESS = { name: 'Gus', line1: 'Hauptstraße 5', postalCode: '10115', city: 'Berlin', country: 'DE' };

async function customers(stores: Stores, ids: string[]) {
  for (const id of ids) {
    await stores.customers.upsert(id, {
      email: `${id}@example.com`,
      locale: 'en',
      timeZone: 'UTC',
      attributes: {},
      consent: { marketing: 'granted' },
    });
  }
}

const book = (stores: Stores, journey: string, customer: string, campaign: string, now = NOW) =>
  stores.gifts.book(catalog, {
    key: `${journey}/${customer}/gift`,
    workflowId: `${journey}/${customer}`,
    journeyId: journey,
    customerId: customer,
    campaign,
    now,
  });

const statuses = (bookings: Booking[]) => bookings.map((b) => b.status).sort();

function ledgerTests(open: () => Promise<Database>) {
  let db: Database;
  let stores: Stores;
  beforeEach(async () => {
    db = await open();
    stores = createStores(db);
  });
  afterEach(() => db.close());

  it('twenty simultaneous bookings cannot exceed a budget of one gift: exactly one is booked', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `c${i}`);
    await customers(stores, [...ids, 'warm-up']);
    // The period's budget row exists already (a first insert would make the others wait by itself).
    await book(stores, 'warm-up', 'warm-up', 'thank-you');
    await stores.gifts.release('warm-up/warm-up/gift', 'released', 'warming up the budget row');
    const bookings = await Promise.all(ids.map((id) => book(stores, 'thank-you-gift', id, 'thank-you')));
    expect(statuses(bookings)).toEqual(['booked', ...Array(19).fill('ineligible')]);
    const refused = bookings.find((b) => b.status === 'ineligible');
    expect(refused).toMatchObject({
      reason: { code: 'budget', message: 'budget of 25 EUR for 2026-11 used up (25 EUR booked)' },
    });
    expect(await stores.gifts.budgetUse('thank-you', '2026-11')).toEqual({ amount: 25, currency: 'EUR', booked: 25 });
  });

  it('two journeys booking for one customer at once: the cooldown lets exactly one through', async () => {
    await customers(stores, ['anna']);
    const bookings = await Promise.all([
      book(stores, 'thank-you-gift', 'anna', 'thank-you'),
      book(stores, 'anniversary-gift', 'anna', 'anniversary'),
    ]);
    expect(statuses(bookings)).toEqual(['booked', 'ineligible']);
    const refused = bookings.find((b) => b.status === 'ineligible')!;
    expect(refused).toMatchObject({ reason: { code: 'cooldown' } });
    expect(refused.status === 'ineligible' && refused.reason.message).toMatch(
      /^a gift on 2026-11-23 \(campaign (thank-you|anniversary)\), next possible 2027-11-23$/,
    );
  });

  it('a retried booking returns the first one; a released gift frees its budget and ends the cooldown', async () => {
    await customers(stores, ['bob', 'cleo']);
    const first = await book(stores, 'thank-you-gift', 'bob', 'thank-you');
    const again = await book(stores, 'thank-you-gift', 'bob', 'thank-you');
    expect(first).toMatchObject({ status: 'booked', repeated: false, gift: { status: 'reserved', cost: 25 } });
    expect(again).toMatchObject({ status: 'booked', repeated: true, gift: { key: 'thank-you-gift/bob/gift' } });
    expect((await book(stores, 'thank-you-gift', 'cleo', 'thank-you')).status).toBe('ineligible');

    await stores.gifts.release('thank-you-gift/bob/gift', 'unclaimed', 'no shipping address confirmed within 14d');
    expect(await stores.gifts.budgetUse('thank-you', '2026-11')).toEqual({ amount: 25, currency: 'EUR', booked: 0 });
    expect(await stores.gifts.get('thank-you-gift/bob/gift')).toMatchObject({
      status: 'unclaimed',
      reason: 'no shipping address confirmed within 14d',
    });
    // the ineligible row keeps its reason; another run of cleo's books the freed budget
    expect((await book(stores, 'other-journey', 'cleo', 'thank-you')).status).toBe('booked');
    // bob's released gift starts no cooldown: a gift from another campaign is fine
    expect((await book(stores, 'anniversary-gift', 'bob', 'anniversary')).status).toBe('booked');
  });

  it('a late status report cannot take back budget that a released gift gave up', async () => {
    await customers(stores, ['gus']);
    await book(stores, 'thank-you-gift', 'gus', 'thank-you');
    const key = 'thank-you-gift/gus/gift';
    expect(await stores.gifts.setStatus(key, 'awaiting-address')).toMatchObject({ status: 'awaiting-address' });
    expect(await stores.gifts.confirmAddress(key, ADDRESS)).toMatchObject({ shippingAddress: ADDRESS });
    await stores.gifts.release(key, 'unclaimed', 'no shipping address confirmed within 14d');
    expect(await stores.gifts.setStatus(key, 'delivered')).toBeUndefined();
    expect(await stores.gifts.confirmAddress(key, ADDRESS)).toBeUndefined();
    expect(await stores.gifts.get(key)).toMatchObject({ status: 'unclaimed' });
    expect(await stores.gifts.budgetUse('thank-you', '2026-11')).toMatchObject({ booked: 0 });
  });

  it('refuses without consent and counts the budget per period', async () => {
    await customers(stores, ['dora']);
    await stores.customers.upsert('eve', { email: 'eve@example.com', locale: 'en', timeZone: 'UTC', attributes: {} });
    expect(await book(stores, 'thank-you-gift', 'eve', 'thank-you')).toMatchObject({
      status: 'ineligible',
      gift: { status: 'ineligible', cost: 0, reason: 'no marketing consent (neither granted nor soft opt-in)' },
    });
    await customers(stores, ['fred']);
    expect((await book(stores, 'thank-you-gift', 'dora', 'thank-you')).status).toBe('booked');
    // December has a budget of its own
    const december = new Date('2026-12-01T00:00:00Z');
    expect((await book(stores, 'thank-you-gift', 'fred', 'thank-you', december)).status).toBe('booked');
    expect(await stores.gifts.budgetUse('thank-you', '2026-12')).toMatchObject({ booked: 25 });
  });
}

describe('the gift ledger on PGlite', () => {
  ledgerTests(() => openDatabase({ kind: 'pglite' }));
});

// .ci/run installs PostgreSQL; a developer machine without it skips, saying why.
const postgresAvailable = postgresBinDir() !== undefined;
if (!postgresAvailable) console.warn('PostgreSQL is not installed: skipping the gift ledger tests on PostgreSQL');

(postgresAvailable ? describe : describe.skip)('the gift ledger on PostgreSQL (ten connections)', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  let database = 0;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(() => postgres?.stop());

  ledgerTests(async () => {
    // a fresh database per test, on the same cluster
    const name = `gifts_${++database}`;
    const admin = await openDatabase({ kind: 'postgres', url: postgres.url });
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.close();
    }
    return openDatabase({ kind: 'postgres', url: postgres.url.replace(/\/postgres$/, `/${name}`) });
  });
});
