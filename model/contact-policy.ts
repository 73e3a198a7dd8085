import { z } from 'zod';
import { Duration } from './duration';
import { JourneyCategory } from './journey';

/**
 * The one contact policy every send goes through (activities/policy/contact-policy.ts evaluates it).
 * Its shape is here so configuration, the activity and the docs share one definition.
 */
export const ContactCategory = JourneyCategory;
export type ContactCategory = z.infer<typeof ContactCategory>;

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time such as 21:00');

/** At most `max` within `per` (a rolling window). */
export const FrequencyCap = z.object({ max: z.number().int().min(1), per: Duration }).strict();
export type FrequencyCap = z.infer<typeof FrequencyCap>;

/** Local times in the customer's zone; `start` after `end` spans midnight (21:00–08:00). */
export const QuietHours = z
  .object({
    start: LocalTime,
    end: LocalTime,
    categories: z.array(ContactCategory).default(['survey', 'marketing']),
  })
  .strict()
  .refine((hours) => hours.start !== hours.end, 'start and end must differ');
export type QuietHours = z.infer<typeof QuietHours>;

export const ContactPolicy = z
  .object({
    /** Messages per customer and category, across all journeys. */
    caps: z.object({ transactional: FrequencyCap, survey: FrequencyCap, marketing: FrequencyCap }).partial(),
    /** Surveys (runs that send survey mail) per customer: a reminder belongs to the survey already counted. */
    surveyThrottle: FrequencyCap.optional(),
    quietHours: QuietHours.optional(),
  })
  .strict();
export type ContactPolicy = z.infer<typeof ContactPolicy>;

export const DEFAULT_CONTACT_POLICY: ContactPolicy = {
  caps: { marketing: { max: 2, per: '7d' } },
  surveyThrottle: { max: 1, per: '30d' },
  quietHours: { start: '21:00', end: '08:00', categories: ['survey', 'marketing'] },
};

/**
 * Marketing consent as the customer's systems report it. `soft-opt-in` (an existing customer, similar
 * products) allows marketing until the customer objects, and never overrides an opt-out.
 */
export const MarketingConsent = z.enum(['granted', 'soft-opt-in', 'none']);
export type MarketingConsent = z.infer<typeof MarketingConsent>;

/** A customer's stand per category: marketing needs granted/soft-opt-in; survey is allowed unless opted out. */
export const PreferenceState = z.enum(['granted', 'soft-opt-in', 'opted-out']);
export type PreferenceState = z.infer<typeof PreferenceState>;

export const SuppressionReason = z.enum(['hard-bounce', 'complaint', 'manual']);
export type SuppressionReason = z.infer<typeof SuppressionReason>;

/** What `PUT /v1/suppressions/:email` accepts. */
export const SuppressionInput = z
  .object({ reason: SuppressionReason.default('manual'), note: z.string().max(500).optional() })
  .strict();
export type SuppressionInput = z.infer<typeof SuppressionInput>;

/** What the contact policy decided for one send: the run's timeline shows it. */
export type ContactDecision =
  { decision: 'send' } | { decision: 'defer'; until: string; reason: string } | { decision: 'skip'; reason: string };

/** "2/7d" → { max: 2, per: '7d' }; "off" → null (no cap). For the environment variables. */
export function parseCap(text: string): FrequencyCap | null {
  if (text.trim() === 'off') return null;
  const match = /^(\d+)\s*\/\s*(\S+)$/.exec(text.trim());
  if (!match) throw new Error('must be "<max>/<duration>" such as 2/7d, or "off"');
  const parsed = FrequencyCap.safeParse({ max: Number(match[1]), per: match[2] });
  if (!parsed.success)
    throw new Error(`must be "<max>/<duration>" such as 2/7d, or "off" (${parsed.error.issues[0].message})`);
  return parsed.data;
}

/** "21:00-08:00" → quiet hours for survey and marketing; "off" → null (none). */
export function parseQuietHours(text: string): QuietHours | null {
  if (text.trim() === 'off') return null;
  const match = /^(\d\d:\d\d)\s*-\s*(\d\d:\d\d)$/.exec(text.trim());
  const parsed = match && QuietHours.safeParse({ start: match[1], end: match[2] });
  if (!parsed || !parsed.success) throw new Error('must be "HH:MM-HH:MM" such as 21:00-08:00, or "off"');
  return parsed.data;
}
