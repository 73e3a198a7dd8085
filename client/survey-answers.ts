import { createHash } from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { JourneyEvent } from '../model/event';
import { isOnScale } from '../model/survey';
import type { Stores } from '../activities/store';
import type { Invitation } from '../activities/store/invitations';
import { verifyInvitationToken } from '../activities/survey/invitation-token';
import { eventSignal } from '../workflows/definitions';

export type SurveyRejection = 'malformed' | 'forged' | 'expired' | 'unknown' | 'closed' | 'invalid-score';

export type OpenedInvitation = { ok: true; invitation: Invitation } | { ok: false; reason: SurveyRejection };

/**
 * The survey page's logic: a GET only opens (verifies) the invitation; only `answer` (a human's POST)
 * records anything, as a `survey.answered` event signalled to the run that sent the invitation.
 */
export class SurveyAnswers {
  constructor(private readonly deps: { client: Client; stores: Stores; secret: string }) {}

  async open(token: string): Promise<OpenedInvitation> {
    const check = verifyInvitationToken(this.deps.secret, token);
    if (!check.ok) return check;
    const invitation = await this.deps.stores.invitations.get(check.invitationId);
    return invitation ? { ok: true, invitation } : { ok: false, reason: 'unknown' };
  }

  /**
   * Records a human's answer: signalled to the run (which acts on it), then stored as the invitation's one
   * response. While the survey is open a different answer replaces the first; the same answer again, or a
   * replayed request, changes nothing (the event id is derived from the answer). Once the run has ended,
   * the survey is closed.
   */
  async answer(
    token: string,
    score: number,
    comment: string | undefined,
  ): Promise<{ ok: true; invitation: Invitation } | { ok: false; reason: SurveyRejection; invitation?: Invitation }> {
    const opened = await this.open(token);
    if (!opened.ok) return opened;
    const { invitation } = opened;
    if (invitation.closedAt) return { ok: false, reason: 'closed', invitation };
    if (!isOnScale(invitation.kind, score)) return { ok: false, reason: 'invalid-score', invitation };
    const trimmed = comment?.trim() || undefined;
    const id = `survey-answer:${createHash('sha256')
      .update(JSON.stringify([invitation.id, score, trimmed ?? '']))
      .digest('base64url')
      .slice(0, 32)}`;
    const event: JourneyEvent = {
      id,
      type: 'survey.answered',
      customerId: invitation.customerId,
      occurredAt: new Date().toISOString(),
      data: { invitationId: invitation.id, kind: invitation.kind, score, ...(trimmed ? { comment: trimmed } : {}) },
    };
    try {
      await this.deps.client.workflow.getHandle(invitation.workflowId).signal(eventSignal, event);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      await this.deps.stores.invitations.close(invitation.id);
      return { ok: false, reason: 'closed', invitation };
    }
    await this.deps.stores.responses.record(invitation, score, trimmed);
    await this.deps.stores.events.record(event);
    return { ok: true, invitation };
  }
}
