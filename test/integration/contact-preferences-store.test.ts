import { openDatabase, type Database } from '../../activities/store/database';
import { ContactPreferences } from '../../activities/store/contact-preferences';

/** The rules of reported marketing consent (PUT /v1/customers, bulk import), one customer or a batch at once. */
describe('ContactPreferences.reportMarketingConsent', () => {
  let db: Database;
  let preferences: ContactPreferences;
  beforeAll(async () => {
    db = await openDatabase({ kind: 'pglite' });
    preferences = new ContactPreferences(db);
  });
  afterAll(() => db?.close());

  const stand = async (id: string) => (await preferences.forCustomer(id)).find((p) => p.category === 'marketing');
  const start = async (id: string, state?: 'granted' | 'soft-opt-in' | 'opted-out') => {
    await preferences.clear(id, 'marketing');
    if (state) await preferences.set(id, 'marketing', state, 'setup');
  };

  it.each([
    // [stand before, reported, stand after]
    [undefined, 'soft-opt-in', 'soft-opt-in'],
    ['opted-out', 'soft-opt-in', 'opted-out'], // a soft opt-in never overrides an objection
    ['granted', 'soft-opt-in', 'granted'],
    ['opted-out', 'granted', 'granted'], // explicit consent is newer than the opt-out
    ['soft-opt-in', 'granted', 'granted'],
    ['granted', 'none', undefined], // consent withdrawn
    ['soft-opt-in', 'none', undefined],
    ['opted-out', 'none', 'opted-out'], // the objection stays
  ] as const)('%s, then %s reported → %s', async (before, reported, after) => {
    await start('c-1', before);
    await preferences.reportMarketingConsent('c-1', reported, 'crm');
    expect((await stand('c-1'))?.state).toBe(after);
  });

  it('applies to a batch in one call, each customer by their own stand', async () => {
    await start('b-1');
    await start('b-2', 'opted-out');
    await start('b-3', 'granted');
    await preferences.reportMarketingConsent(['b-1', 'b-2', 'b-3'], 'soft-opt-in', 'import');
    expect([(await stand('b-1'))?.state, (await stand('b-2'))?.state, (await stand('b-3'))?.state]).toEqual([
      'soft-opt-in',
      'opted-out',
      'granted',
    ]);
    expect((await stand('b-1'))?.source).toBe('import');
    expect((await stand('b-3'))?.source).toBe('setup'); // untouched
  });
});
