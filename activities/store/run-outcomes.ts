import type { RunOutcome } from '../../model/run';
import type { Queryable } from './database';

/** How runs ended: one row per run (workflow id), written when it completes. */
export class RunOutcomes {
  constructor(private readonly db: Queryable) {}

  /** Records the outcome once; a retried activity changes nothing. */
  async record(outcome: RunOutcome): Promise<void> {
    await this.db.query(
      `INSERT INTO run_outcomes (workflow_id, journey_id, journey_version, customer_id, run_key, outcome, ended_by,
         holdout, paths, started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (workflow_id) DO NOTHING`,
      [
        outcome.workflowId,
        outcome.journeyId,
        outcome.journeyVersion,
        outcome.customerId,
        outcome.key ?? null,
        outcome.outcome,
        outcome.endedBy ?? null,
        outcome.holdout,
        JSON.stringify(outcome.paths),
        outcome.startedAt,
        outcome.endedAt,
      ],
    );
  }
}
