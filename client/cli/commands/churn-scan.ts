import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { ChurnScanRun, ChurnScanStatus } from '../../churn-scans';
import type { ChurnScanProgress } from '../../../model/churn-scan';
import { callApi } from '../api';
import { print } from '../options';

const counts = (p: ChurnScanProgress) =>
  `${p.counts.customers} customers read, ${p.counts.scored} scored, ${p.counts.atRisk} at risk (≥ ${p.threshold}), ` +
  `${p.counts.started} win-back runs started, ${p.counts.alreadyEnrolled} already enrolled in ${p.period}` +
  (p.counts.recentlyEnrolled
    ? `, ${p.counts.recentlyEnrolled} enrolled within the last ${p.reenrolAfterDays} days`
    : '') +
  (p.counts.notStarted ? `, ${p.counts.notStarted} not started (no journey triggers on churn.risk_detected)` : '') +
  (p.counts.anniversaries ? `; ${p.counts.anniversaries} anniversaries` : '');

export function formatScanRun(run: ChurnScanRun): string {
  const p = run.progress;
  const head = `${run.workflowId}  ${run.status}${run.scheduledAt ? `  scheduled ${run.scheduledAt}` : ''}`;
  if (!p) return head;
  const total = p.totalCustomers ? ` of ${p.totalCustomers}` : '';
  const where = p.phase === 'scanning' ? ` (page ${p.pages + 1}, ${p.counts.customers}${total} customers read)` : '';
  return `${head}\n  as of ${p.asOf}, period ${p.period}, ${p.phase}${where}\n  ${counts(p)}`;
}

export function formatScanStatus(status: ChurnScanStatus): string {
  if (!status.scheduled) return `no churn scan schedule (CHURN_SCAN_SCHEDULE=off)`;
  const lines = [
    `schedule ${status.scheduleId}: ${status.paused ? `PAUSED${status.note ? ` (${status.note})` : ''}` : 'active'}, ` +
      `"${status.cron}" ${status.timeZone}, threshold ${status.settings.threshold}, one run per ${status.settings.period}`,
  ];
  if (!status.paused && status.nextRuns.length) lines.push(`next: ${status.nextRuns.join(', ')}`);
  lines.push(status.running.length ? 'running:' : 'running: none');
  for (const run of status.running) lines.push(indent(formatScanRun(run)));
  if (status.recent.length) lines.push('recent:');
  for (const run of status.recent) lines.push(indent(formatScanRun(run)));
  return lines.join('\n');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

/** Follows a scan until it completes: a bar on a terminal, a line per page otherwise. */
async function follow(workflowId: string, intervalMs = 1000): Promise<ChurnScanRun> {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: 'scanning [{bar}] {value}/{total} customers | {atRisk} at risk | {started} started',
        stream: process.stderr,
        hideCursor: true,
      })
    : undefined;
  let shownPages = -1;
  try {
    for (;;) {
      const run = await callApi<ChurnScanRun>('GET', `/v1/churn-scan/runs/${encodeURIComponent(workflowId)}`);
      const p = run.progress;
      if (p && bar) {
        if (!bar.isActive) bar.start(Math.max(p.totalCustomers ?? 0, p.counts.customers, 1), 0);
        bar.setTotal(Math.max(p.totalCustomers ?? 0, p.counts.customers, 1));
        bar.update(p.counts.customers, { atRisk: p.counts.atRisk, started: p.counts.started });
      } else if (p && p.pages !== shownPages) {
        shownPages = p.pages;
        console.error(`scanning: ${p.phase}, ${counts(p)}`);
      }
      if (run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    bar?.stop();
  }
}

/** `touchpoint churn-scan status|pause|resume|trigger`: the daily churn scan's Temporal Schedule. */
export function registerChurnScanCommands(program: Command): void {
  const scan = program
    .command('churn-scan')
    .description('the daily churn scan that enrols customers at risk in the win-back journey');
  scan
    .command('status')
    .description('the schedule (active or paused, next runs) and the running and recent scans with their counts')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const status = await callApi<ChurnScanStatus>('GET', '/v1/churn-scan');
      print(options.json, status, () => formatScanStatus(status));
    });
  scan
    .command('pause')
    .description('pause the schedule (a running scan finishes)')
    .option('--note <text>', 'why, shown in status and the Temporal UI')
    .action(async (options) => {
      const status = await callApi<ChurnScanStatus>('POST', '/v1/churn-scan/pause', { note: options.note });
      console.log(formatScanStatus(status));
    });
  scan
    .command('resume')
    .description('resume a paused schedule')
    .option('--note <text>', 'why, shown in status and the Temporal UI')
    .action(async (options) => {
      const status = await callApi<ChurnScanStatus>('POST', '/v1/churn-scan/resume', { note: options.note });
      console.log(formatScanStatus(status));
    });
  scan
    .command('trigger')
    .description('run a scan now (nothing new starts for customers already enrolled this period)')
    .option('--wait', 'follow the scan with a progress bar until it completes')
    .option('--json', 'print JSON')
    .action(async (options) => {
      let run = await callApi<ChurnScanRun>('POST', '/v1/churn-scan/trigger');
      if (options.wait) run = await follow(run.workflowId);
      print(options.json, run, () => formatScanRun(run));
    });
}
