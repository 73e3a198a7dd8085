import type { AnswerThresholds, SurveyKind } from '../../model/survey';
import type { Queryable } from './database';

export interface Invitation {
  id: string;
  workflowId: string;
  journeyId: string;
  customerId: string;
  kind: SurveyKind;
  locale: string;
  expiresAt: string;
  /** Customer attributes and ticket data (team, agent, ...) when it went out: metrics group by them. */
  segment: Record<string, string | number | boolean>;
  /** The journey's class thresholds, if it has its own. */
  thresholds?: AnswerThresholds;
  /** Set once the survey is over (its run ended): answers no longer change. */
  closedAt?: string;
}

interface InvitationRow {
  id: string;
  workflow_id: string;
  journey_id: string;
  customer_id: string;
  kind: SurveyKind;
  locale: string;
  expires_at: Date;
  segment: Invitation['segment'];
  thresholds: AnswerThresholds | null;
  closed_at: Date | null;
}

const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  workflowId: row.workflow_id,
  journeyId: row.journey_id,
  customerId: row.customer_id,
  kind: row.kind,
  locale: row.locale,
  expiresAt: new Date(row.expires_at).toISOString(),
  segment: row.segment,
  thresholds: row.thresholds ?? undefined,
  closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : undefined,
});

/** Survey invitations: one per run, shared by the invitation and its reminder. */
export class InvitationStore {
  constructor(private readonly db: Queryable) {}

  /** Creates the invitation once; a repeat (reminder, retry) returns the first one unchanged. */
  async ensure(invitation: Omit<Invitation, 'closedAt'>): Promise<Invitation> {
    await this.db.query(
      `INSERT INTO survey_invitations (id, workflow_id, journey_id, customer_id, kind, locale, expires_at, segment, thresholds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
      [
        invitation.id,
        invitation.workflowId,
        invitation.journeyId,
        invitation.customerId,
        invitation.kind,
        invitation.locale,
        invitation.expiresAt,
        JSON.stringify(invitation.segment),
        invitation.thresholds ? JSON.stringify(invitation.thresholds) : null,
      ],
    );
    return (await this.get(invitation.id)) as Invitation;
  }

  /** The survey is over: its run ended. */
  async close(id: string): Promise<void> {
    await this.db.query('UPDATE survey_invitations SET closed_at = now() WHERE id = $1 AND closed_at IS NULL', [id]);
  }

  async get(id: string): Promise<Invitation | undefined> {
    const [row] = await this.db.query<InvitationRow>('SELECT * FROM survey_invitations WHERE id = $1', [id]);
    return row ? toInvitation(row) : undefined;
  }
}
