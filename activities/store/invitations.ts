import type { Queryable } from './database';

export interface Invitation {
  id: string;
  workflowId: string;
  journeyId: string;
  customerId: string;
  kind: string;
  locale: string;
  expiresAt: string;
}

interface InvitationRow {
  id: string;
  workflow_id: string;
  journey_id: string;
  customer_id: string;
  kind: string;
  locale: string;
  expires_at: Date;
}

const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  workflowId: row.workflow_id,
  journeyId: row.journey_id,
  customerId: row.customer_id,
  kind: row.kind,
  locale: row.locale,
  expiresAt: new Date(row.expires_at).toISOString(),
});

/** Survey invitations: one per run, shared by the invitation and its reminder. */
export class InvitationStore {
  constructor(private readonly db: Queryable) {}

  /** Creates the invitation once; a repeat (reminder, retry) returns the first one unchanged. */
  async ensure(invitation: Invitation): Promise<Invitation> {
    await this.db.query(
      `INSERT INTO survey_invitations (id, workflow_id, journey_id, customer_id, kind, locale, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [
        invitation.id,
        invitation.workflowId,
        invitation.journeyId,
        invitation.customerId,
        invitation.kind,
        invitation.locale,
        invitation.expiresAt,
      ],
    );
    return (await this.get(invitation.id)) as Invitation;
  }

  async get(id: string): Promise<Invitation | undefined> {
    const [row] = await this.db.query<InvitationRow>('SELECT * FROM survey_invitations WHERE id = $1', [id]);
    return row ? toInvitation(row) : undefined;
  }
}
