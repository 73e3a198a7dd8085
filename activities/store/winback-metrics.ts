import type { WinbackCounts, WinbackGrouping } from '../../model/metrics';
import type { Queryable } from './database';

export interface WinbackFilter {
  journey: string;
  /** runs started at or after this instant (ISO) */
  since: string;
  /** ...and before this one */
  until: string;
  by?: WinbackGrouping | null;
}

interface Row {
  grp: string | null;
  holdout: boolean;
  runs: string | number;
  won_back: string | number;
}

/**
 * Counts for the win-back lift, aggregated in SQL from run_outcomes (one row per completed run): per group
 * and arm (treated / holdout) the runs and those won back, i.e. ended by the journey's goal (an order).
 * Runs still in progress have no outcome yet and are not counted.
 */
export class WinbackMetricsStore {
  constructor(private readonly db: Queryable) {}

  async counts(filter: WinbackFilter): Promise<WinbackCounts[]> {
    const rows = await this.db.query<Row>(
      `SELECT CASE $4::text WHEN 'period' THEN run_key WHEN 'version' THEN journey_version::text END AS grp,
              holdout, count(*) AS runs, count(*) FILTER (WHERE ended_by = 'goal') AS won_back
         FROM run_outcomes
        WHERE journey_id = $1 AND started_at >= $2 AND started_at < $3
        GROUP BY 1, 2`,
      [filter.journey, filter.since, filter.until, filter.by ?? null],
    );
    const groups = new Map<string | null, WinbackCounts>();
    for (const row of rows) {
      let group = groups.get(row.grp);
      if (!group) {
        group = { group: row.grp, treated: { runs: 0, wonBack: 0 }, holdout: { runs: 0, wonBack: 0 } };
        groups.set(row.grp, group);
      }
      // count(*) is a bigint: node-postgres returns it as a string
      group[row.holdout ? 'holdout' : 'treated'] = { runs: Number(row.runs), wonBack: Number(row.won_back) };
    }
    return [...groups.values()];
  }
}
