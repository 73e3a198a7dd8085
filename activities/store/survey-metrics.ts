import type { GroupCounts } from '../../model/metrics';
import type { SurveyKind } from '../../model/survey';
import type { Queryable } from './database';

export interface SurveyMetricsFilter {
  kind: SurveyKind;
  /** invitations created at or after this instant (ISO) */
  since: string;
  /** ...and before this one */
  until: string;
  journey?: string | null;
  /** a segment attribute to group by; without it there is one group (null) */
  by?: string | null;
}

interface Row {
  grp: string | null;
  scale_min: number | null;
  scale_max: number | null;
  score: number | null;
  count: string | number;
}

/**
 * Counts for survey metrics, aggregated in SQL: per group, the invitations created in the window and the
 * number of answers per (scale, score) to those invitations, so memory stays the size of the scale however
 * many answers there are. One statement, so both counts come from the same snapshot.
 */
export class SurveyMetricsStore {
  constructor(private readonly db: Queryable) {}

  async counts(filter: SurveyMetricsFilter): Promise<GroupCounts[]> {
    // The group is the invitation's segment as it was when the survey went out (the answer copies it);
    // `segment ->> NULL` is NULL, so without `by` everything falls into one group.
    const rows = await this.db.query<Row>(
      `WITH invited AS (
         SELECT id, segment ->> $5::text AS grp
           FROM survey_invitations
          WHERE kind = $1 AND created_at >= $2 AND created_at < $3 AND ($4::text IS NULL OR journey_id = $4)
       )
       SELECT grp, NULL::integer AS scale_min, NULL::integer AS scale_max, NULL::integer AS score, count(*) AS count
         FROM invited GROUP BY grp
       UNION ALL
       SELECT i.grp, r.scale_min, r.scale_max, r.score, count(*) AS count
         FROM invited i JOIN survey_responses r ON r.invitation_id = i.id AND r.kind = $1
        GROUP BY i.grp, r.scale_min, r.scale_max, r.score`,
      [filter.kind, filter.since, filter.until, filter.journey ?? null, filter.by ?? null],
    );
    const groups = new Map<string | null, GroupCounts>();
    const groupOf = (name: string | null) => {
      let group = groups.get(name);
      if (!group) groups.set(name, (group = { group: name, invitations: 0, answers: [] }));
      return group;
    };
    for (const row of rows) {
      // count(*) is a bigint: node-postgres returns it as a string
      const count = Number(row.count);
      if (row.score === null) groupOf(row.grp).invitations = count;
      else
        groupOf(row.grp).answers.push({
          scaleMin: Number(row.scale_min),
          scaleMax: Number(row.scale_max),
          score: Number(row.score),
          count,
        });
    }
    return [...groups.values()];
  }
}
