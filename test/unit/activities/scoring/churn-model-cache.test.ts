import { ChurnModelCache } from '../../../../activities/scoring/churn-model-cache';
import type { Database } from '../../../../activities/store/database';
import { DEFAULT_CHURN_SETTINGS } from '../../../../model/churn';

/** A database that answers the base-statistics query for a tiny base (no repeat buyers: no fit) and counts it. */
function fakeDatabase(failFirst = false) {
  const asOfs: string[] = [];
  let fail = failFirst;
  const db = {
    description: 'fake',
    async query(sql: string, params: unknown[] = []) {
      if (!sql.includes('percentile_cont')) throw new Error(`unexpected query: ${sql}`);
      if (fail) {
        fail = false;
        throw new Error('connection lost');
      }
      asOfs.push(String(params[0]));
      return [
        {
          customers: '1',
          repeat_customers: '0',
          recency_days: [1, 2, 3, 4],
          frequency: [1, 1, 1, 1],
          monetary: [5, 6, 7, 8],
          median_gap_days: null,
        },
      ];
    },
  } as unknown as Database;
  return { db, asOfs };
}

describe('ChurnModelCache', () => {
  it('builds one model per UTC day, as of the start of the day, shared by concurrent callers', async () => {
    const { db, asOfs } = fakeDatabase();
    const cache = new ChurnModelCache({ db }, DEFAULT_CHURN_SETTINGS);
    const [morning, night] = await Promise.all([
      cache.forDay('2026-05-07T09:30:00Z'),
      cache.forDay('2026-05-07T23:59:59+00:00'),
    ]);
    expect(morning).toBe(night);
    expect(morning.asOf).toBe('2026-05-07T00:00:00.000Z');
    // 01:00 in Berlin on the 8th is still the 7th in UTC
    expect(await cache.forDay('2026-05-08T01:00:00+02:00')).toBe(morning);
    await cache.forDay('2026-05-08T00:00:00Z');
    expect(asOfs).toEqual(['2026-05-07T00:00:00.000Z', '2026-05-08T00:00:00.000Z']);
    // no repeat buyers: the fallback gap and the published parameters
    expect(morning).toMatchObject({
      typicalGapDays: 90,
      typicalGapSource: 'fallback',
      bgNbd: { source: 'published-default' },
    });
  });

  it('keeps a few days, oldest out first', async () => {
    const { db, asOfs } = fakeDatabase();
    const cache = new ChurnModelCache({ db }, DEFAULT_CHURN_SETTINGS, 2);
    for (const day of ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-02', '2026-05-01']) {
      await cache.forDay(`${day}T12:00:00Z`);
    }
    // the 1st was dropped when the 3rd came, so it is built again; the 2nd was still kept
    expect(asOfs.map((a) => a.slice(0, 10))).toEqual(['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-01']);
  });

  it('does not keep a failed build: the next call tries again', async () => {
    const { db, asOfs } = fakeDatabase(true);
    const cache = new ChurnModelCache({ db }, DEFAULT_CHURN_SETTINGS);
    await expect(cache.forDay('2026-05-07T10:00:00Z')).rejects.toThrow('connection lost');
    await expect(cache.forDay('2026-05-07T11:00:00Z')).resolves.toMatchObject({ customers: 1 });
    expect(asOfs).toHaveLength(1);
  });
});
