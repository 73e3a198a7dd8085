import { ChurnModel, ChurnSettings, type BgNbdParams } from '../../model/churn';
import type { Stores } from '../store';
import { PurchaseSummaries } from '../store/purchase-summaries';
import type { BgNbdBase } from './bg-nbd';
import { fitBgNbd } from './bg-nbd-fit';

/** Customers read per query while collecting the base for the fit. */
export const FIT_PAGE_SIZE = 5000;
/** Below this many repeat buyers a fit says little about dropout: the published parameters are used. */
export const MIN_REPEAT_CUSTOMERS_TO_FIT = 10;
/**
 * Fader, Hardie & Lee's (2005) estimates for the CDNOW base, in weeks: a documented prior for bases too
 * small to fit (and REFERENCE's test-vector parameters).
 */
export const PUBLISHED_BG_NBD_PARAMS: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

type CutPoints = ChurnModel['rfm']['recencyDays'];
const cutPoints = (values: number[] | null): CutPoints =>
  // percentile_cont interpolates in floating point: 1.8000000000000007 is 1.8
  values && values.length === 4 ? (values.map((v) => Math.round(v * 1e6) / 1e6) as CutPoints) : [0, 0, 0, 0];

/**
 * Everything about the base that scoring a customer needs, as of a moment: RFM quintile cut points and the
 * median gap (aggregated in SQL), and BG/NBD parameters, configured or fitted. For the fit the base is read
 * in pages of FIT_PAGE_SIZE customers into four Float64Arrays (32 bytes a customer at most), never as orders.
 */
export async function buildChurnModel(
  stores: Pick<Stores, 'db'>,
  asOf: string,
  settings: ChurnSettings,
  options: { pageSize?: number } = {},
): Promise<ChurnModel> {
  const at = new Date(Date.parse(asOf)).toISOString();
  const summaries = new PurchaseSummaries(stores.db);
  const stats = await summaries.baseStatistics(at);
  const typicalGapSource = stats.medianGapDays !== null && stats.medianGapDays > 0 ? 'base-median' : 'fallback';

  let bgNbd: ChurnModel['bgNbd'];
  if (settings.bgNbdParams) {
    bgNbd = { params: settings.bgNbdParams, source: 'configured' };
  } else if (stats.repeatCustomers < MIN_REPEAT_CUSTOMERS_TO_FIT) {
    bgNbd = {
      params: PUBLISHED_BG_NBD_PARAMS,
      source: 'published-default',
      note:
        `the base has ${stats.repeatCustomers} repeat buyer(s), fewer than the ${MIN_REPEAT_CUSTOMERS_TO_FIT} a fit needs, ` +
        'so the published CDNOW parameters are used; set CHURN_BGNBD_PARAMS="r,alpha,a,b" (weeks) to choose others',
    };
  } else {
    const fit = fitBgNbd(await readBase(summaries, at, stats.customers, options.pageSize ?? FIT_PAGE_SIZE));
    bgNbd = {
      params: fit.params,
      source: 'fitted',
      logLikelihood: fit.logLikelihood,
      iterations: fit.iterations,
      converged: fit.converged,
      note: fit.atBound.length
        ? `the fit ended on the bound of ${fit.atBound.join(', ')} (see FIT_BOUNDS in activities/scoring/bg-nbd-fit.ts): ` +
          'with a and b there, dropout is about the same for every customer; a larger base fits more closely'
        : undefined,
    };
  }

  return ChurnModel.parse({
    asOf: at,
    customers: stats.customers,
    repeatCustomers: stats.repeatCustomers,
    rfm: {
      recencyDays: cutPoints(stats.recencyDays),
      frequency: cutPoints(stats.frequency),
      monetary: cutPoints(stats.monetary),
    },
    typicalGapDays: typicalGapSource === 'base-median' ? stats.medianGapDays : settings.fallbackGapDays,
    typicalGapSource,
    bgNbd,
    settings,
  });
}

/**
 * The base's (x, tx, T) columns, page by page; `expected` sizes the arrays (orders arriving meanwhile are after
 * asOf). Customers with the same (x, tx, T), common when orders carry dates only, share a row with a count, so
 * the fit evaluates each once.
 */
async function readBase(
  summaries: PurchaseSummaries,
  asOf: string,
  expected: number,
  pageSize: number,
): Promise<BgNbdBase> {
  const base = {
    x: new Float64Array(expected),
    tx: new Float64Array(expected),
    T: new Float64Array(expected),
    count: new Float64Array(expected),
  };
  const rowOf = new Map<string, number>();
  let rows = 0;
  let read = 0;
  let after = '';
  for (;;) {
    const page = await summaries.bgNbdPage(asOf, after, pageSize);
    for (const row of page) {
      if (read === expected) break;
      read += 1;
      const key = `${row.x}|${row.txWeeks}|${row.ageWeeks}`;
      const same = rowOf.get(key);
      if (same !== undefined) {
        base.count[same] += 1;
        continue;
      }
      rowOf.set(key, rows);
      base.x[rows] = row.x;
      base.tx[rows] = row.txWeeks;
      base.T[rows] = row.ageWeeks;
      base.count[rows] = 1;
      rows += 1;
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1].customerId;
  }
  const used = (column: Float64Array) => column.subarray(0, rows);
  return { x: used(base.x), tx: used(base.tx), T: used(base.T), count: used(base.count) };
}
