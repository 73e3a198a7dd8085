import { continueAsNew, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  ChurnScanSettings,
  NO_COUNTS,
  type ChurnScanCounts,
  type ChurnScanInput,
  type ChurnScanProgress,
} from '../model/churn-scan';
import { periodKey } from '../model/period';

/** The scan's progress while it runs (and its result after): `touchpoint churn-scan status` reads it. */
export const churnScanProgressQuery = defineQuery<ChurnScanProgress>('progress');

const { prepareChurnScan } = proxyActivities<Activities>({
  // Fitting BG/NBD over a large base takes a while; it is pure CPU, so no heartbeats.
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10s', maximumInterval: '5 minutes', maximumAttempts: 5 },
});
const { scanChurnPage } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5s', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/** Pages per run before continuing as new (each page is a few history events; the model rides along). */
const PAGES_PER_RUN = 200;

/**
 * The churn scan: builds the base model once (RFM cut points, BG/NBD parameters), then pages through the
 * customers in id order, scoring each page in an activity that enrols those at risk in the win-back journey.
 * Deterministic ids (customer + period) make a rerun or an overlapping scan start nothing twice.
 */
export async function churnScan(input: ChurnScanInput = {}): Promise<ChurnScanProgress> {
  const settings = ChurnScanSettings.parse(input.settings ?? {});
  const now = new Date().toISOString();
  const asOf = input.asOf ?? input.resume?.progress.asOf ?? now;
  const progress: ChurnScanProgress = input.resume?.progress ?? {
    asOf,
    period: periodKey(asOf, settings.period),
    threshold: settings.threshold,
    reenrolAfterDays: settings.reenrolAfterDays,
    phase: 'modelling',
    pages: 0,
    counts: { ...NO_COUNTS },
    startedAt: now,
    updatedAt: now,
  };
  setHandler(churnScanProgressQuery, () => progress);

  let model = input.resume?.model;
  if (!model) {
    const prepared = await prepareChurnScan({ asOf });
    model = prepared.model;
    progress.totalCustomers = prepared.totalCustomers;
  }
  progress.phase = 'scanning';
  progress.updatedAt = new Date().toISOString();

  for (let pagesThisRun = 0; ; pagesThisRun++) {
    if (pagesThisRun >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof churnScan>({ ...input, asOf, resume: { model, progress } });
    }
    const page = await scanChurnPage({
      asOf,
      period: progress.period,
      threshold: settings.threshold,
      reenrolAfterDays: settings.reenrolAfterDays,
      after: progress.cursor,
      limit: settings.pageSize,
      model,
    });
    progress.counts = add(progress.counts, page.counts);
    progress.pages++;
    progress.cursor = page.last ?? progress.cursor;
    progress.updatedAt = new Date().toISOString();
    if (page.done) break;
  }
  progress.phase = 'done';
  progress.finishedAt = progress.updatedAt;
  return progress;
}

function add(a: ChurnScanCounts, b: ChurnScanCounts): ChurnScanCounts {
  return Object.fromEntries(
    Object.entries(a).map(([key, value]) => [key, value + b[key as keyof ChurnScanCounts]]),
  ) as ChurnScanCounts;
}
