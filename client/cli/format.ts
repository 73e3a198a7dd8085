import type { RunDetail, RunSummary } from '../runs';

const time = (iso?: string) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');

export function formatRunList(runs: RunSummary[]): string {
  if (runs.length === 0) return 'No runs match.';
  const rows = [
    ['WORKFLOW ID', 'STATUS', 'STEP', 'STARTED', 'CLOSED'],
    ...runs.map((r) => [r.workflowId, r.status, r.step ?? '', time(r.startedAt), time(r.closedAt)]),
  ];
  return formatTable(rows);
}

/** Rows as columns padded to their widest cell, two spaces apart (the first row is the heading). */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatRunDetail(run: RunDetail): string {
  const lines = [
    `Run       ${run.workflowId}`,
    `Journey   ${run.journeyId ?? '?'}${run.state ? ` v${run.state.journeyVersion}` : ''}`,
    `Customer  ${run.customerId ?? '?'}`,
    `Status    ${run.status}${run.state?.outcome ? ` (${run.state.outcome})` : ''}${run.step && run.status === 'running' ? `, at step ${run.step}` : ''}`,
  ];
  if (run.state?.answer) lines.push(`Answer    ${run.state.answer.score} (${run.state.answer.class})`);
  if (run.failure) lines.push(`Failure   ${run.failure}`);
  if (run.state) {
    lines.push('', 'Timeline');
    for (const entry of run.state.timeline) {
      lines.push(
        `  ${time(entry.at)}  ${entry.kind.padEnd(9)}  ${entry.step ? `[${entry.step}] ` : ''}${entry.detail}`,
      );
    }
  }
  return lines.join('\n');
}
