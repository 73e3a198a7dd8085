import { Argument, type Command } from 'commander';
import type {
  GroupMetric,
  Metric,
  MetricsWindow,
  WinbackGroupMetric,
  WinbackMetric,
  WinbackWindow,
} from '../../../model/metrics';
import { SurveyKind } from '../../../model/survey';
import { callApi } from '../api';
import { print } from '../options';
import { formatTable } from '../format';

type MetricsReport = MetricsWindow & { groups: GroupMetric[]; total: Metric };
type WinbackReport = WinbackWindow & { groups: WinbackGroupMetric[]; total: WinbackMetric };

/** `touchpoint metrics nps|csat|ces|winback`: the same figures as GET /v1/metrics/:kind, as a table. */
export function registerMetricsCommands(program: Command): void {
  program
    .command('metrics')
    .description(
      'NPS, CSAT or CES of the surveys sent in a window: score ± 95% margin, n, response rate; ' +
        'winback: win-back rate of treated runs against the holdout, lift ± 95% interval',
    )
    .addArgument(new Argument('<kind>', 'which metric').choices([...SurveyKind.options, 'winback']))
    .option('--journey <id>', 'only surveys of this journey (winback: the journey, default win-back)')
    .option(
      '--since <date>',
      'invitations created (winback: runs started) at or after this ISO date/datetime (default: 30 days before --until)',
    )
    .option(
      '--until <date>',
      'invitations created (winback: runs started) before this ISO date/datetime (default: now)',
    )
    .option('--by <attribute>', 'one row per value of this segment attribute, e.g. team (winback: period or version)')
    .option('--min-n <n>', 'fewer answers (winback: runs per group) than this are flagged not significant', '30')
    .option('--json', 'print JSON')
    .action(async (kind: SurveyKind | 'winback', options) => {
      const query = new URLSearchParams();
      for (const key of ['journey', 'since', 'until', 'by'] as const) if (options[key]) query.set(key, options[key]);
      query.set('minN', options.minN);
      if (kind === 'winback') {
        const report = await callApi<WinbackReport>('GET', `/v1/metrics/winback?${query}`);
        print(options.json, report, () => formatWinback(report));
        return;
      }
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
  const heading =
    `${kind.toUpperCase()} of ${report.journey ? `journey ${report.journey}` : 'all journeys'}, ` +
    `invitations created ${report.since} to ${report.until} (until excluded)` +
    (report.by ? `, by ${report.by}` : '');
  return [heading, '', formatTable(rows)].join('\n');
}

const percent = (value: number | null) => (value === null ? '—' : `${value.toFixed(2)}%`);
const signed = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(2)}`;

function formatLift(metric: WinbackMetric): string {
  const lift = metric.lift;
  if (!lift) return '—';
  return `${signed(lift.points)} pp [${signed(lift.interval.low)}, ${signed(lift.interval.high)}]`;
}

function winbackNote(metric: WinbackMetric): string {
  const notes = [metric.significant ? 'significant' : (metric.reason ?? 'not significant')];
  if (metric.lift?.method === 'newcombe') notes.push("Newcombe's interval");
  return notes.join('; ');
}

/** The win-back report as a table: per group and in total, each arm's won/runs and rate, and the lift. */
export function formatWinback(report: WinbackReport): string {
  const row = (name: string, m: WinbackMetric) => [
    name,
    `${m.treated.wonBack}/${m.treated.runs}`,
    percent(m.treated.rate),
    `${m.holdout.wonBack}/${m.holdout.runs}`,
    percent(m.holdout.rate),
    formatLift(m),
    m.lift?.relative == null ? '—' : `${signed(m.lift.relative)}%`,
    winbackNote(m),
  ];
  const rows = [
    ['GROUP', 'TREATED WON/RUNS', 'RATE', 'HOLDOUT WON/RUNS', 'RATE', 'LIFT [95% INTERVAL]', 'RELATIVE', ''],
    ...report.groups.map((g) => row(g.group ?? '(none)', g)),
    row(report.by ? 'TOTAL' : 'ALL', report.total),
  ];
  const heading =
    `Win-back of journey ${report.journey}, runs started ${report.since} to ${report.until} (until excluded)` +
    (report.by ? `, by ${report.by}` : '') +
    '; won back = ended by the goal (an order)';
  return [heading, '', formatTable(rows)].join('\n');
}
