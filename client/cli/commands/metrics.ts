import { Argument, type Command } from 'commander';
import type { GroupMetric, Metric, MetricsWindow } from '../../../model/metrics';
import { SurveyKind } from '../../../model/survey';
import { callApi } from '../api';
import { print } from '../options';

type MetricsReport = MetricsWindow & { groups: GroupMetric[]; total: Metric };

/** `touchpoint metrics nps|csat|ces`: the same figures as GET /v1/metrics/:kind, as a table. */
export function registerMetricsCommands(program: Command): void {
  program
    .command('metrics')
    .description('NPS, CSAT or CES of the surveys sent in a window: score ± 95% margin, n, response rate')
    .addArgument(new Argument('<kind>', 'which survey metric').choices(SurveyKind.options))
    .option('--journey <id>', 'only surveys of this journey')
    .option(
      '--since <date>',
      'invitations created at or after this ISO date/datetime (default: 30 days before --until)',
    )
    .option('--until <date>', 'invitations created before this ISO date/datetime (default: now)')
    .option('--by <attribute>', 'one row per value of this segment attribute, e.g. team')
    .option('--min-n <n>', 'fewer answers than this are flagged not significant', '30')
    .option('--json', 'print JSON')
    .action(async (kind: SurveyKind, options) => {
      const query = new URLSearchParams();
      for (const key of ['journey', 'since', 'until', 'by'] as const) if (options[key]) query.set(key, options[key]);
      query.set('minN', options.minN);
      const report = await callApi<MetricsReport>('GET', `/v1/metrics/${kind}?${query}`);
      print(options.json, report, () => formatMetrics(report));
    });
}

const CLASS_HEADINGS: Record<SurveyKind, string> = {
  nps: 'PROMOTERS/PASSIVES/DETRACTORS',
  csat: 'SATISFIED/NEUTRAL/DISSATISFIED',
  ces: 'EASY/NEUTRAL/DIFFICULT',
};

function formatScore(kind: SurveyKind, metric: Metric): string {
  if (metric.score === null) return '—';
  const margin = metric.marginOfError === null ? '' : ` ±${metric.marginOfError.toFixed(kind === 'ces' ? 2 : 1)}`;
  if (kind === 'nps') return `${metric.score > 0 ? '+' : ''}${metric.score.toFixed(1)}${margin}`;
  if (kind === 'csat') return `${metric.score.toFixed(1)}%${margin}`;
  return `${metric.score.toFixed(2)}${margin} (easy ${metric.easyShare?.toFixed(1)}%)`;
}

function note(metric: Metric, minN: number): string {
  const notes = [];
  if (metric.n === 0) notes.push('no answers');
  else if (!metric.significant) notes.push(`not significant (n < ${minN})`);
  if (metric.method === 'adjusted-wald') notes.push('adjusted Wald');
  if (metric.excluded > 0) notes.push(`${metric.excluded} answers on another scale not counted`);
  return notes.join('; ');
}

export function formatMetrics(report: MetricsReport): string {
  const kind = report.kind;
  const row = (name: string, m: Metric) => [
    name,
    formatScore(kind, m),
    String(m.n),
    String(m.invitations),
    m.responseRate === null ? '—' : `${m.responseRate.toFixed(1)}%`,
    Object.values(m.counts).join('/'),
    note(m, report.minN),
  ];
  const rows = [
    ['GROUP', kind.toUpperCase(), 'N', 'INVITATIONS', 'RESPONSE RATE', CLASS_HEADINGS[kind], ''],
    ...report.groups.map((g) => row(g.group ?? '(none)', g)),
    row(report.by ? 'TOTAL' : 'ALL', report.total),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  const heading =
    `${kind.toUpperCase()} of ${report.journey ? `journey ${report.journey}` : 'all journeys'}, ` +
    `invitations created ${report.since} to ${report.until} (until excluded)` +
    (report.by ? `, by ${report.by}` : '');
  return [heading, '', ...table].join('\n');
}
