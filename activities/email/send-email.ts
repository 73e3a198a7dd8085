import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ContactCategory } from '../../model/contact-policy';
import type { AnswerThresholds, SurveyKind } from '../../model/survey';
import type { Invitation } from '../store/invitations';
import type { ContactGate } from '../policy/contact-policy';
import { createUnsubscribeToken } from '../policy/unsubscribe-token';
import type { Stores } from '../store';
import { createInvitationToken, invitationIdFor } from '../survey/invitation-token';
import type { Mailer } from './mailer';
import { messageData, NO_LINKS, type MessageLinks, type Sender } from './message-data';
import { classifySmtpError, isHardBounce } from './smtp-errors';
import type { TemplateLibrary } from './templates';

export interface SendEmailDeps {
  stores: Stores;
  templates: TemplateLibrary;
  mailer: Mailer;
  gate: ContactGate;
  secret: string;
  publicUrl: string;
  mailFrom: string;
  company: Sender;
  /** The policy's clock; default: when Temporal scheduled this attempt (workflow time in a simulation). */
  now?: () => Date;
}

export interface SendEmailInput {
  /** run + step: deterministic, the same on every retry */
  key: string;
  workflowId: string;
  journeyId: string;
  category: ContactCategory;
  customerId: string;
  template: string;
  /** The run's data (split paths, scores, data.gift, ...), readable in templates as data.* */
  data?: Record<string, unknown>;
  survey?: {
    kind: SurveyKind;
    linksValidForMs: number;
    /** What the survey's answers are grouped by in metrics (team, agent, tier, ...). */
    segment?: Invitation['segment'];
    thresholds?: AnswerThresholds;
  };
}

export type SendEmailResult =
  | {
      status: 'sent';
      messageId: string;
      to: string;
      locale: string;
      /** an earlier attempt sent it already */
      repeated: boolean;
      /** an earlier attempt stopped after handing it to SMTP; it was not sent again */
      unconfirmed?: boolean;
    }
  | { status: 'deferred'; until: string; reason: string }
  | { status: 'skipped'; reason: string };

/** The Message-ID is derived from the send key, so a duplicate that slips through is recognisable. */
export function messageIdFor(key: string, mailFrom: string): string {
  const domain = /@([^>\s]+)/.exec(mailFrom)?.[1] ?? 'touchpoint.local';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

/** Links under PUBLIC_URL (which may have a path). */
export function publicLink(publicUrl: string, path: string): string {
  return new URL(path, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).toString();
}

function attemptTime(): Date {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  } catch {
    return new Date(); // called outside an activity (tools, tests)
  }
}

/**
 * The one place a message is rendered and sent: render (a template error fails for good), ask the
 * contact policy (sent / deferred / skipped), claim the send-log row, hand it to SMTP, complete the row.
 */
export async function sendEmail(deps: SendEmailDeps, input: SendEmailInput): Promise<SendEmailResult> {
  const { stores } = deps;
  const customer = await stores.customers.get(input.customerId);
  if (!customer) return { status: 'skipped', reason: `customer ${input.customerId} no longer exists` };

  let surveyLink: { kind: SurveyKind; url: string } | undefined;
  if (input.survey) {
    const invitation = await stores.invitations.ensure({
      id: invitationIdFor(input.workflowId),
      workflowId: input.workflowId,
      journeyId: input.journeyId,
      customerId: customer.id,
      kind: input.survey.kind,
      locale: customer.locale,
      expiresAt: new Date(Date.now() + input.survey.linksValidForMs).toISOString(),
      segment: input.survey.segment ?? {},
      thresholds: input.survey.thresholds,
    });
    const token = createInvitationToken(deps.secret, invitation.id, new Date(invitation.expiresAt));
    surveyLink = { kind: input.survey.kind, url: publicLink(deps.publicUrl, `s/${token}`) };
  }
  let links: MessageLinks = NO_LINKS;
  if (input.category !== 'transactional') {
    const token = createUnsubscribeToken(deps.secret, customer.id, input.category);
    links = {
      unsubscribe: publicLink(deps.publicUrl, `u/${token}`),
      preferences: publicLink(deps.publicUrl, `u/${token}`),
    };
  }
  const data = messageData(customer, { company: deps.company, links, survey: surveyLink }, input.data);

  let rendered;
  try {
    rendered = await deps.templates.renderEmail(input.template, customer.locale, data, {
      timeZone: customer.timeZone,
      publicUrl: deps.publicUrl,
    });
  } catch (error) {
    // A template that cannot render will not render on a retry either.
    throw ApplicationFailure.nonRetryable((error as Error).message, 'TemplateError');
  }

  const messageId = messageIdFor(input.key, deps.mailFrom);
  const gate = await deps.gate.decideAndClaim(
    {
      key: input.key,
      workflowId: input.workflowId,
      customerId: customer.id,
      category: input.category,
      template: input.template,
      locale: rendered.locale,
      recipient: customer.email,
      messageId,
    },
    (deps.now ?? attemptTime)(),
  );
  if (gate.outcome === 'decided') {
    const { decision } = gate;
    return decision.decision === 'defer'
      ? { status: 'deferred', until: decision.until, reason: decision.reason }
      : { status: 'skipped', reason: decision.reason };
  }
  if (gate.outcome === 'done') {
    const { entry } = gate;
    if (entry.status === 'failed') {
      throw ApplicationFailure.nonRetryable(
        `SMTP refused the message: ${entry.detail ?? 'no reason kept'}`,
        'SmtpPermanentError',
      );
    }
    if (entry.status === 'withdrawn') return { status: 'skipped', reason: entry.detail ?? 'withdrawn' };
    return {
      status: 'sent',
      messageId,
      to: entry.recipient ?? customer.email,
      locale: entry.locale ?? rendered.locale,
      repeated: true,
      unconfirmed: entry.status === 'unconfirmed' || undefined,
    };
  }

  try {
    await deps.mailer.send({
      messageId,
      from: deps.mailFrom,
      to: customer.email,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: links.unsubscribe
        ? // RFC 8058 one-click unsubscribe: the POST to this URL unsubscribes, no login, no redirect.
          { 'List-Unsubscribe': `<${links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : undefined,
    });
  } catch (error) {
    const failure = classifySmtpError(error);
    if (failure.kind === 'permanent') {
      await stores.sendLog.complete(input.key, 'failed', failure.reason);
      if (isHardBounce(error)) {
        // The address does not work: no further survey or marketing mail to it, until an admin removes it.
        await stores.suppressions.add(customer.email, { reason: 'hard-bounce', note: failure.reason, source: 'smtp' });
      }
      throw ApplicationFailure.nonRetryable(`SMTP refused the message: ${failure.reason}`, 'SmtpPermanentError');
    }
    if (failure.kind === 'temporary') {
      // Nothing was handed over: the next attempt may send again (Temporal retries with backoff).
      await stores.sendLog.complete(input.key, 'retry', failure.reason);
      throw ApplicationFailure.retryable(`SMTP did not take the message yet: ${failure.reason}`, 'SmtpTemporaryError');
    }
    // uncertain: the row stays `sending`, so the retry will not send a second copy.
    throw ApplicationFailure.retryable(
      `SMTP connection broke after the message was sent: ${failure.reason}`,
      'SmtpUncertain',
    );
  }
  await stores.sendLog.complete(input.key, 'sent');
  return { status: 'sent', messageId, to: customer.email, locale: rendered.locale, repeated: false };
}
