import { z } from 'zod';

/**
 * Support-system webhooks (Zendesk, Freshdesk): the payloads they send and the one normalised shape
 * (`SupportTicketEvent`) the rest of Touchpoint sees. Pure: parsing and mapping only, no IO.
 * docs/support-systems.md shows how to set each system up.
 */

export type SupportSource = 'zendesk' | 'freshdesk';

/** What a support-system notification means for Touchpoint, whatever system sent it. */
export interface SupportTicketEvent {
  source: SupportSource;
  /** Unique per notification, stable across the support system's retries (the dedup key). */
  eventId: string;
  ticketId: string;
  /** solved → `ticket.solved`; reopened → `ticket.reopened`; other → ignored. */
  status: 'solved' | 'reopened' | 'other';
  /** The status as the support system named it, for the "ignored" answer. */
  rawStatus: string;
  requester: { externalId?: string; email?: string; name?: string; locale?: string };
  subject?: string;
  team?: string;
  agent?: string;
  agentEmail?: string;
  ticketUrl?: string;
  occurredAt: string;
}

/** Placeholders render as "" when a ticket has no value (no group, no assignee): treat as absent. */
const optionalText = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().trim().max(1000).optional(),
);
/** Ids arrive as numbers (Freshdesk, our JSON) or strings (Zendesk event subscriptions, placeholders). */
const Id = z.union([z.string().trim().min(1).max(100), z.number().int().nonnegative()]).transform(String);
const optionalId = z.preprocess((value) => (value === '' || value === null ? undefined : value), Id.optional());
const optionalEmail = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().trim().pipe(z.email()).optional(),
);
/** A moment in any format `Date` reads (placeholders differ), kept as ISO-8601. */
const Moment = z.string().transform((value, ctx) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    ctx.addIssue({ code: 'custom', message: `must be a date and time such as "2026-03-01T10:00:00Z", got "${value}"` });
    return z.NEVER;
  }
  return new Date(time).toISOString();
});

/** What both our defined webhook bodies (Zendesk trigger, Freshdesk rule) carry besides ids and status. */
const TicketBodyFields = {
  subject: optionalText,
  url: optionalText,
  group: optionalText,
  agent: optionalText,
  agent_email: optionalEmail,
  requester: z
    .object({
      id: optionalId,
      email: z.string().trim().pipe(z.email()),
      name: optionalText,
      language: optionalText,
    })
    .loose(),
};

// ---------------------------------------------------------------------------------------------------------
// Zendesk

const ZENDESK_REOPENED_FROM = ['solved'];
const ZENDESK_OPEN = ['new', 'open', 'pending', 'hold', 'on-hold'];

/** solved → solved; solved → new/open/pending/hold → reopened; anything else (closed, pending, ...) → other. */
export function zendeskStatus(current: string, previous?: string): SupportTicketEvent['status'] {
  const now = current.trim().toLowerCase();
  const before = previous?.trim().toLowerCase();
  if (now === 'solved') return 'solved';
  if (before && ZENDESK_REOPENED_FROM.includes(before) && ZENDESK_OPEN.includes(now)) return 'reopened';
  return 'other';
}

/** `event.current` / `event.previous` are status names ("SOLVED"); tolerate `{ status: "SOLVED" }` too. */
const ZendeskStatusValue = z.union([
  z.string().min(1),
  z.object({ status: z.string().min(1) }).transform((value) => value.status),
]);

/** Zendesk event subscription `zen:event-type:ticket.status_changed` (the payload Zendesk defines). */
export const ZendeskStatusChanged = z.object({
  type: z.literal('zen:event-type:ticket.status_changed'),
  id: z.string().min(1).max(150),
  time: Moment,
  subject: z.string().regex(/^zen:ticket:\d+$/, 'must be "zen:ticket:<ticket id>"'),
  detail: z
    .object({
      id: Id,
      requester_id: Id,
      subject: optionalText,
      status: optionalText,
    })
    .loose(),
  event: z.object({ current: ZendeskStatusValue, previous: ZendeskStatusValue.optional() }).loose(),
});
export type ZendeskStatusChanged = z.infer<typeof ZendeskStatusChanged>;

/**
 * The JSON body a Zendesk trigger sends (we define it; docs/support-systems.md has the copy-paste version).
 * `previous_status` is written literally ("solved") in the trigger that fires when a ticket is reopened.
 */
export const ZendeskTriggerBody = z
  .object({
    ticket_id: Id,
    status: z.string().trim().min(1),
    previous_status: optionalText,
    updated_at: Moment,
    ...TicketBodyFields,
  })
  .loose();
export type ZendeskTriggerBody = z.infer<typeof ZendeskTriggerBody>;

// ---------------------------------------------------------------------------------------------------------
// Freshdesk

/** Freshdesk's built-in statuses by number; `{{ticket.status}}` renders the name, the API the number. */
const FRESHDESK_STATUS: Record<string, string> = { '2': 'open', '3': 'pending', '4': 'resolved', '5': 'closed' };

/** 4 (resolved) / 5 (closed) → solved; resolved/closed → open/pending → reopened; custom statuses → other. */
export function freshdeskStatus(current: string, previous?: string): SupportTicketEvent['status'] {
  const name = (value: string) => FRESHDESK_STATUS[value.trim()] ?? value.trim().toLowerCase();
  const now = name(current);
  const before = previous === undefined ? undefined : name(previous);
  if (now === 'resolved' || now === 'closed') return 'solved';
  if ((before === 'resolved' || before === 'closed') && (now === 'open' || now === 'pending')) return 'reopened';
  return 'other';
}

const FreshdeskStatusValue = z.union([z.string().trim().min(1), z.number().int()]).transform(String);

/** The JSON body of a Freshdesk automation rule's "Trigger webhook" action (we define it). */
export const FreshdeskBody = z
  .object({
    /** Optional: a unique id per notification, if your rule can provide one. */
    event_id: optionalId,
    ticket_id: Id,
    status: FreshdeskStatusValue,
    previous_status: z.preprocess((value) => (value === '' ? undefined : value), FreshdeskStatusValue.optional()),
    /** Optional: when the ticket changed; makes every change its own event (else: one per ticket and status). */
    updated_at: z.preprocess((value) => (value === '' ? undefined : value), Moment.optional()),
    ...TicketBodyFields,
  })
  .loose();
export type FreshdeskBody = z.infer<typeof FreshdeskBody>;

// ---------------------------------------------------------------------------------------------------------
// Shared mapping helpers

/** Language names some placeholders render instead of codes (e.g. Zendesk's `{{ticket.requester.language}}`). */
const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en',
  german: 'de',
  deutsch: 'de',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  spanish: 'es',
  español: 'es',
  espanol: 'es',
  italian: 'it',
  italiano: 'it',
  dutch: 'nl',
  nederlands: 'nl',
  portuguese: 'pt',
  português: 'pt',
  portugues: 'pt',
  swedish: 'sv',
  svenska: 'sv',
  danish: 'da',
  dansk: 'da',
  norwegian: 'no',
  norsk: 'no',
  finnish: 'fi',
  suomi: 'fi',
  polish: 'pl',
  polski: 'pl',
  japanese: 'ja',
  chinese: 'zh',
  korean: 'ko',
};

/**
 * A support system's language ("de", "en-US", "pt_BR", "English (United States)", "Deutsch") as a
 * BCP 47 tag Touchpoint's templates understand; undefined when it cannot tell (the customer then gets "en").
 * Never a reason to reject a ticket: a survey in the fallback language beats no survey.
 */
export function localeFrom(language: string | undefined): string | undefined {
  if (!language) return undefined;
  const value = language.trim().replace(/_/g, '-');
  const tag = /^([A-Za-z]{2,3})(?:-([A-Za-z0-9]{2,8}))*$/.exec(value);
  if (tag) {
    const [primary, ...rest] = value.split('-');
    return [primary.toLowerCase(), ...rest.map((part) => (part.length === 2 ? part.toUpperCase() : part))].join('-');
  }
  const name = value.toLowerCase().replace(/\s*\(.*\)$/, '');
  return LANGUAGE_NAMES[name];
}

/**
 * A ticket link for the event data, only as an absolute http(s) URL: Zendesk's `{{ticket.link}}` renders
 * without a scheme ("acme.zendesk.com/agent/tickets/1"), so https is assumed; anything else is dropped.
 */
export function ticketUrlFrom(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
