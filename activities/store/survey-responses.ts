import { classifyAnswer, SURVEY_SCALES, type AnswerClass, type SurveyKind } from '../../model/survey';
import type { Queryable } from './database';
import type { Invitation } from './invitations';

export interface SurveyResponse {
  invitationId: string;
  workflowId: string;
  journeyId: string;
  customerId: string;
  kind: SurveyKind;
  scale: { min: number; max: number };
  score: number;
  class: AnswerClass;
  comment?: string;
  segment: Invitation['segment'];
  answeredAt: string;
  updatedAt: string;
  revisions: number;
}

interface ResponseRow {
  invitation_id: string;
  workflow_id: string;
  journey_id: string;
  customer_id: string;
  kind: SurveyKind;
  scale_min: number;
  scale_max: number;
  score: number;
  class: AnswerClass;
  comment: string | null;
  segment: Invitation['segment'];
  answered_at: Date;
  updated_at: Date;
  revisions: number;
}

const toResponse = (row: ResponseRow): SurveyResponse => ({
  invitationId: row.invitation_id,
  workflowId: row.workflow_id,
  journeyId: row.journey_id,
  customerId: row.customer_id,
  kind: row.kind,
  scale: { min: row.scale_min, max: row.scale_max },
  score: row.score,
  class: row.class,
  comment: row.comment ?? undefined,
  segment: row.segment,
  answeredAt: new Date(row.answered_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
  revisions: row.revisions,
});

/** One answer per invitation: the first answer, or the customer's change of mind while the survey is open. */
export class SurveyResponses {
  constructor(private readonly db: Queryable) {}

  /** Records the answer; the same answer again changes nothing, a different one replaces it (one more revision). */
  async record(invitation: Invitation, score: number, comment: string | undefined): Promise<SurveyResponse> {
    const kind = invitation.kind;
    const scale = SURVEY_SCALES[kind];
    const [row] = await this.db.query<ResponseRow>(
      `INSERT INTO survey_responses (invitation_id, workflow_id, journey_id, customer_id, kind, scale_min, scale_max,
         score, class, comment, segment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (invitation_id) DO UPDATE SET score = EXCLUDED.score, class = EXCLUDED.class,
         comment = EXCLUDED.comment, updated_at = now(), revisions = survey_responses.revisions + 1
       WHERE survey_responses.score <> EXCLUDED.score OR survey_responses.comment IS DISTINCT FROM EXCLUDED.comment
       RETURNING *`,
      [
        invitation.id,
        invitation.workflowId,
        invitation.journeyId,
        invitation.customerId,
        kind,
        scale.min,
        scale.max,
        score,
        classifyAnswer(kind, score, invitation.thresholds),
        comment ?? null,
        JSON.stringify(invitation.segment),
      ],
    );
    return row ? toResponse(row) : (await this.get(invitation.id))!;
  }

  async get(invitationId: string): Promise<SurveyResponse | undefined> {
    const [row] = await this.db.query<ResponseRow>('SELECT * FROM survey_responses WHERE invitation_id = $1', [
      invitationId,
    ]);
    return row ? toResponse(row) : undefined;
  }
}
