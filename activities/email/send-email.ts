import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { SurveyKind } from '../../model/survey';
import type { Stores } from '../store';
import { createInvitationToken, invitationIdFor } from '../survey/invitation-token';
import type { Mailer } from './mailer';
import { messageData } from './message-data';
import type { TemplateLibrary } from './templates';

export interface SendEmailDeps {
  stores: Stores;
  templates: TemplateLibrary;
  mailer: Mailer;
  secret: string;
  publicUrl: string;
  mailFrom: string;
}

export interface SendEmailInput {
  /** run + step: deterministic, the same on every retry */
  key: string;
  workflowId: string;
  journeyId: string;
  category: string;
  customerId: string;
  template: string;
  /** The run's data (split paths, scores, data.gift, ...), readable in templates as data.* */
  data?: Record<string, unknown>;
  survey?: { kind: SurveyKind; linksValidForMs: number };
}

export type SendEmailResult =
  | { status: 'sent'; messageId: string; to: string; locale: string; repeated: boolean }
  | { status: 'skipped'; reason: string };

/** The Message-ID is derived from the send key, so a duplicate that slips through is recognisable. */
export function messageIdFor(key: string, mailFrom: string): string {
  const domain = /@([^>\s]+)/.exec(mailFrom)?.[1] ?? 'touchpoint.local';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

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
    });
    const token = createInvitationToken(deps.secret, invitation.id, new Date(invitation.expiresAt));
    const base = new URL(`s/${token}`, deps.publicUrl.endsWith('/') ? deps.publicUrl : `${deps.publicUrl}/`);
    surveyLink = { kind: input.survey.kind, url: base.toString() };
  }
  const data = messageData(customer, surveyLink, input.data);

  let rendered;
  try {
    rendered = deps.templates.render(input.template, customer.locale, data, { layout: 'email' });
  } catch (error) {
    // A template that cannot render will not render on a retry either.
    throw ApplicationFailure.nonRetryable((error as Error).message, 'TemplateError');
  }
  if (!rendered.subject || (!rendered.html && !rendered.text)) {
    throw ApplicationFailure.nonRetryable(
      `template "${input.template}" needs a subject and an html or text part (locale ${rendered.locale})`,
      'TemplateError',
    );
  }

  const messageId = messageIdFor(input.key, deps.mailFrom);
  const { entry, claimed } = await stores.sendLog.claim({
    key: input.key,
    workflowId: input.workflowId,
    customerId: customer.id,
    template: input.template,
    locale: rendered.locale,
    recipient: customer.email,
    messageId,
  });
  if (!claimed && entry.status === 'sent') {
    return {
      status: 'sent',
      messageId,
      to: entry.recipient ?? customer.email,
      locale: rendered.locale,
      repeated: true,
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
    });
  } catch (error) {
    const smtp = error as { responseCode?: number; message: string };
    if (smtp.responseCode !== undefined && smtp.responseCode >= 500) {
      await stores.sendLog.complete(input.key, 'failed', smtp.message);
      throw ApplicationFailure.nonRetryable(`SMTP refused the message: ${smtp.message}`, 'SmtpPermanentError');
    }
    throw error; // temporary: Temporal retries with backoff
  }
  await stores.sendLog.complete(input.key, 'sent');
  return { status: 'sent', messageId, to: customer.email, locale: rendered.locale, repeated: false };
}
