import { z } from 'zod';
import { MarketingConsent } from './contact-policy';

/** An IANA time zone the runtime knows, e.g. "Europe/Berlin". */
export const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as "Europe/Berlin" or "America/New_York"');

/** A BCP 47 language tag such as "de", "en" or "de-CH". */
export const Locale = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en", "de" or "de-CH"');

export const CustomerId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\s]+$/, 'must not contain "/" or white space');

/** What `PUT /v1/customers/:id` accepts. */
export const CustomerInput = z
  .object({
    email: z.email(),
    name: z.string().min(1).max(200).optional(),
    locale: Locale.default('en'),
    timeZone: TimeZone.default('UTC'),
    attributes: z.record(z.string(), z.unknown()).default({}),
    /** Marketing consent as your systems know it; left out, the recorded stand is kept. */
    consent: z.object({ marketing: MarketingConsent }).strict().optional(),
  })
  .strict();
export type CustomerInput = z.infer<typeof CustomerInput>;

export const Customer = CustomerInput.omit({ consent: true }).extend({
  id: CustomerId,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof Customer>;
