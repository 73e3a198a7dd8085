import type {
  ContactCategory,
  ContactDecision,
  ContactPolicy,
  FrequencyCap,
  PreferenceState,
  SuppressionReason,
} from '../../model/contact-policy';
import { durationMs } from '../../model/duration';
import type { Database } from '../store/database';
import { ContactPreferences } from '../store/contact-preferences';
import { SendLog, type SendLogEntry } from '../store/send-log';
import { Suppressions } from '../store/suppressions';
import { quietHoursEnd } from './quiet-hours';

/** What the policy knows about one intended send. */
export interface ContactFacts {
  category: ContactCategory;
  timeZone: string;
  /** The customer's stand in this category, if any was recorded. */
  preference?: PreferenceState;
  suppression?: SuppressionReason;
  /** Other messages of this category to the customer within the category's cap window. */
  recentMessages: number;
  /** Other runs that sent the customer survey mail within the survey throttle's window. */
  recentSurveys: number;
  /** This run already sent survey mail: a reminder is part of the survey already counted. */
  surveyOngoing: boolean;
  now: Date;
}

const capText = (cap: FrequencyCap) => `${cap.max} per ${cap.per}`;

/**
 * The contact policy, as one pure function: consent and suppression first (skip), then quiet hours
 * (defer, so the message still goes once the night is over), then the survey throttle and frequency caps (skip).
 */
export function decideContact(policy: ContactPolicy, facts: ContactFacts): ContactDecision {
  const { category } = facts;
  if (category !== 'transactional') {
    if (facts.suppression) {
      return { decision: 'skip', reason: `the address is on the suppression list (${facts.suppression})` };
    }
    if (facts.preference === 'opted-out') {
      return { decision: 'skip', reason: `the customer unsubscribed from ${category} email` };
    }
    if (category === 'marketing' && facts.preference !== 'granted' && facts.preference !== 'soft-opt-in') {
      return { decision: 'skip', reason: 'no marketing consent (neither granted nor soft opt-in)' };
    }
  }
  const quiet = policy.quietHours;
  if (quiet && quiet.categories.includes(category)) {
    const until = quietHoursEnd(facts.now, facts.timeZone, quiet);
    if (until) {
      return {
        decision: 'defer',
        until: until.toISOString(),
        reason: `quiet hours ${quiet.start}–${quiet.end} in ${facts.timeZone}`,
      };
    }
  }
  const throttle = policy.surveyThrottle;
  if (category === 'survey' && throttle && !facts.surveyOngoing && facts.recentSurveys >= throttle.max) {
    return { decision: 'skip', reason: `surveyed recently (survey throttle: ${capText(throttle)})` };
  }
  const cap = policy.caps[category];
  if (cap && facts.recentMessages >= cap.max) {
    return { decision: 'skip', reason: `${category} cap reached (${capText(cap)})` };
  }
  return { decision: 'send' };
}

export interface IntendedSend extends Omit<SendLogEntry, 'status' | 'detail' | 'decidedAt'> {
  recipient: string;
}

export type GateResult =
  /** The send log row is ours: hand the message to SMTP, then complete the row. */
  | { outcome: 'claimed' }
  | { outcome: 'decided'; decision: Exclude<ContactDecision, { decision: 'send' }> }
  /** An earlier attempt of this very send got this far: do not send again. */
  | { outcome: 'done'; entry: SendLogEntry };

/**
 * The gate every message passes at send time. Deciding and claiming happen in one transaction that
 * holds the customer's row lock, so two runs sending to one customer at the same instant are counted
 * one after the other and a cap of one lets exactly one through.
 */
export class ContactGate {
  constructor(
    private readonly db: Database,
    private readonly policy: ContactPolicy,
  ) {}

  decideAndClaim(send: IntendedSend, now: Date): Promise<GateResult> {
    return this.db.transaction(async (tx) => {
      const locked = await tx.query<{ time_zone: string }>('SELECT time_zone FROM customers WHERE id = $1 FOR UPDATE', [
        send.customerId,
      ]);
      if (!locked[0])
        return { outcome: 'decided', decision: { decision: 'skip', reason: 'the customer no longer exists' } };
      const log = new SendLog(tx);
      const earlier = await log.get(send.key);
      if (earlier?.status === 'sending') {
        // An attempt stopped between handing the message to SMTP and recording the result: it may be in
        // the inbox already. Sending again could deliver it twice, so this send stays at most once.
        await log.complete(send.key, 'unconfirmed', 'an earlier attempt stopped after handing it to SMTP');
        return { outcome: 'done', entry: { ...earlier, status: 'unconfirmed' } };
      }
      if (earlier && earlier.status !== 'retry') return { outcome: 'done', entry: earlier };

      const windowStart = (cap?: FrequencyCap) => new Date(now.getTime() - (cap ? durationMs(cap.per) : 0));
      const cap = this.policy.caps[send.category];
      const preference = (await new ContactPreferences(tx).forCustomer(send.customerId)).find(
        (p) => p.category === send.category,
      );
      const decision = decideContact(this.policy, {
        category: send.category,
        timeZone: locked[0].time_zone,
        preference: preference?.state,
        suppression: (await new Suppressions(tx).find(send.recipient))?.reason,
        recentMessages: cap ? await log.countRecent(send.customerId, send.category, windowStart(cap), send.key) : 0,
        recentSurveys:
          send.category === 'survey' && this.policy.surveyThrottle
            ? await log.countRecentSurveys(send.customerId, windowStart(this.policy.surveyThrottle), send.workflowId)
            : 0,
        surveyOngoing: send.category === 'survey' && (await log.hasSurveyMail(send.workflowId)),
        now,
      });
      if (decision.decision !== 'send') {
        if (earlier && decision.decision === 'skip') await log.complete(send.key, 'withdrawn', decision.reason);
        return { outcome: 'decided', decision };
      }
      await log.claim({ ...send, decidedAt: now.toISOString() });
      return { outcome: 'claimed' };
    });
  }
}
