import { z } from 'zod';
import { PeriodUnit } from './period';
import { ContactCategory } from './contact-policy';
import { GiftDelivery, GiftKind } from './gift-provider';
import { CurrencyCode } from './order';

/**
 * Thank-you gifts: the catalog (campaigns with budgets, products with rules), the ledger's statuses and the
 * eligibility rules, as pure functions. The gift step books at send time (activities/gifts/book-gift.ts);
 * docs/gifts.md describes the catalog file and the rules.
 */

/**
 * A gift's status in the ledger (table `gifts`). The first five hold budget; the others hold none:
 * reserved (booked, not yet ordered), awaiting-address (physical, the customer has the confirmation link),
 * ordered (the provider has it), pending-approval (the provider waits for an admin), delivered;
 * ineligible (never booked, with the reason), unclaimed (no address in time), failed, released.
 */
export const GiftStatus = z.enum([
  'reserved',
  'awaiting-address',
  'ordered',
  'pending-approval',
  'delivered',
  'ineligible',
  'unclaimed',
  'failed',
  'released',
]);
export type GiftStatus = z.infer<typeof GiftStatus>;

/** Statuses whose cost counts against the campaign's budget and whose gift starts the customer's cooldown. */
export const BUDGET_HOLDING_STATUSES: readonly GiftStatus[] = [
  'reserved',
  'awaiting-address',
  'ordered',
  'pending-approval',
  'delivered',
];

export const BudgetPeriod = PeriodUnit.extract(['month', 'quarter', 'year']);
export type BudgetPeriod = z.infer<typeof BudgetPeriod>;

/** "12 months", "1 year", "90 days" (calendar months and years), or "none". */
export const Cooldown = z
  .string()
  .regex(
    /^(none|[1-9]\d{0,3} ?(days?|d|months?|years?|y))$/,
    'must be a number of days, months or years such as "12 months", "1 year" or "90 days", or "none"',
  );
export type Cooldown = z.infer<typeof Cooldown>;

/** Text per language, e.g. { en: "Coffee voucher", de: "Kaffee-Gutschein" }; `en` is the fallback. */
const LocalizedText = z
  .record(z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a locale such as en, de or de-CH'), z.string().min(1))
  .refine((text) => Object.hasOwn(text, 'en'), 'needs an "en" text (the fallback for other languages)');

const Ids = (what: string) =>
  z.array(z.string().min(1)).min(1, `list at least one ${what}, or leave the rule out to allow every ${what}`);

/** Rules that must all hold for a product to suit a customer; a rule left out allows everyone. */
export const ProductRules = z
  .object({
    /** customer.attributes.tier is one of these. */
    tiers: Ids('tier').optional(),
    /** The customer's country (attributes.country, else the region of the locale, e.g. de-CH → CH). */
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. DE'))
      .min(1)
      .optional(),
    /** The customer's language (the part before "-", e.g. de for de-CH). */
    locales: z
      .array(z.string().regex(/^[a-z]{2,3}$/, 'must be a language such as en or de'))
      .min(1)
      .optional(),
    /** Preferences among the customer's attributes: each attribute equals the value, or one of a list. */
    attributes: z
      .record(
        z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/),
        z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))]),
      )
      .optional(),
  })
  .strict();
export type ProductRules = z.infer<typeof ProductRules>;

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');
const Amount = z.number().positive().multipleOf(0.01, 'must have at most two decimals');

export const GiftProduct = z
  .object({
    id: Id.describe('The product id, referred to by campaigns'),
    kind: GiftKind.describe('digital (a voucher code or reward link) or physical (shipped; the address is confirmed)'),
    name: LocalizedText.describe('The name per language, shown in the thank-you and the address page'),
    description: LocalizedText.optional().describe('A sentence per language about the gift'),
    value: Amount.describe("The gift's face value for the customer, in `currency`"),
    currency: CurrencyCode,
    cost: z
      .number()
      .nonnegative()
      .multipleOf(0.01, 'must have at most two decimals')
      .describe("What one gift costs the campaign, in the campaign's budget currency (shipping included)"),
    delivery: GiftDelivery.optional().describe(
      'digital only: LINK (Touchpoint sends the code or link in the thank-you, default) or EMAIL (the provider emails it)',
    ),
    rules: ProductRules.default({}).describe('Who the product suits: tiers, countries, locales, attributes'),
  })
  .strict()
  .refine((product) => product.kind === 'digital' || product.delivery === undefined, {
    path: ['delivery'],
    message: 'is for digital gifts only; a physical gift is shipped to the address the customer confirms',
  });
export type GiftProduct = z.infer<typeof GiftProduct>;

export const GiftCampaign = z
  .object({
    id: Id.describe('The campaign id a gift step names (`campaign: thank-you`)'),
    budget: z
      .object({
        amount: Amount.describe('What the campaign may spend per period'),
        currency: CurrencyCode,
        period: BudgetPeriod.describe('month (2026-11), quarter (2026-Q4) or year (2026), in UTC'),
      })
      .strict(),
    cooldown: Cooldown.default('12 months').describe(
      'No gift from this campaign if the customer got any gift (any journey, any campaign) within this time',
    ),
    tiers: Ids('tier').optional().describe('Only customers whose attributes.tier is listed; left out: every tier'),
    consent: ContactCategory.default('marketing').describe(
      'The consent the gift needs: marketing (default), survey, or transactional (none)',
    ),
    products: z
      .array(Id)
      .min(1)
      .describe('Product ids in order of preference: the first whose rules suit the customer is the gift'),
  })
  .strict();
export type GiftCampaign = z.infer<typeof GiftCampaign>;

export const GiftCatalog = z
  .object({
    campaigns: z.array(GiftCampaign).min(1),
    products: z.array(GiftProduct).min(1),
  })
  .strict()
  .superRefine((catalog, ctx) => {
    const duplicates = (ids: string[], field: 'campaigns' | 'products') =>
      ids.forEach((id, index) => {
        if (ids.indexOf(id) !== index) {
          ctx.addIssue({ code: 'custom', path: [field, index, 'id'], message: `duplicate id "${id}"` });
        }
      });
    duplicates(
      catalog.campaigns.map((c) => c.id),
      'campaigns',
    );
    duplicates(
      catalog.products.map((p) => p.id),
      'products',
    );
    const products = new Map(catalog.products.map((p) => [p.id, p]));
    catalog.campaigns.forEach((campaign, c) =>
      campaign.products.forEach((id, p) => {
        if (!products.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['campaigns', c, 'products', p],
            message: `refers to product "${id}", which the catalog does not have; known: ${[...products.keys()].join(', ')}`,
          });
        }
      }),
    );
  });
export type GiftCatalog = z.infer<typeof GiftCatalog>;

/** What the rules read of a customer (the store's customer, or a run's snapshot). */
export interface GiftCustomer {
  locale: string;
  attributes: Record<string, unknown>;
}

/** When a cooldown that began at `from` ends; calendar months (Jan 31 + 1 month = Feb 28/29). */
export function cooldownEnd(from: Date, cooldown: Cooldown): Date {
  const match = /^(\d+) ?([a-z])/.exec(cooldown);
  if (!match) return from; // "none"
  const count = Number(match[1]);
  if (match[2] === 'd') return new Date(from.getTime() + count * 24 * 60 * 60 * 1000);
  const months = match[2] === 'm' ? count : count * 12;
  const target = new Date(from);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return target;
}

const tierOf = (customer: GiftCustomer) =>
  typeof customer.attributes.tier === 'string' ? customer.attributes.tier : undefined;

/** The customer's country: attributes.country (any case), else the region of the locale (de-CH → CH). */
export function countryOf(customer: GiftCustomer): string | undefined {
  const attribute = customer.attributes.country;
  if (typeof attribute === 'string' && /^[a-zA-Z]{2}$/.test(attribute)) return attribute.toUpperCase();
  return /^[a-zA-Z]{2,3}-([a-zA-Z]{2})$/.exec(customer.locale)?.[1].toUpperCase();
}

const languageOf = (customer: GiftCustomer) => customer.locale.split('-')[0].toLowerCase();

/** The first rule a product breaks for this customer, as a sentence; undefined when it suits. */
function ruleBroken(product: GiftProduct, customer: GiftCustomer): string | undefined {
  const { rules } = product;
  const tier = tierOf(customer);
  if (rules.tiers && (!tier || !rules.tiers.includes(tier))) return `tier ${tier ?? '(none)'}`;
  const country = countryOf(customer);
  if (rules.countries && (!country || !rules.countries.includes(country))) return `country ${country ?? '(none)'}`;
  if (rules.locales && !rules.locales.includes(languageOf(customer))) return `language ${languageOf(customer)}`;
  for (const [attribute, wanted] of Object.entries(rules.attributes ?? {})) {
    const value = customer.attributes[attribute];
    const allowed = Array.isArray(wanted) ? wanted : [wanted];
    if (!allowed.some((v) => v === value)) return `${attribute} ${value === undefined ? '(none)' : String(value)}`;
  }
  return undefined;
}

export type GiftChoice =
  { ok: true; campaign: GiftCampaign; product: GiftProduct } | { ok: false; reason: IneligibleReason };

/**
 * The gift for a customer: the campaign's products in their listed order, the first whose rules all hold
 * (tiers, countries, locales, attributes). None suits → a reason naming what each product needed.
 */
export function chooseGift(catalog: GiftCatalog, campaignId: string, customer: GiftCustomer): GiftChoice {
  const campaign = catalog.campaigns.find((c) => c.id === campaignId);
  if (!campaign) {
    return {
      ok: false,
      reason: {
        code: 'unknown-campaign',
        message: `campaign "${campaignId}" is not in the gift catalog; known: ${catalog.campaigns.map((c) => c.id).join(', ')}`,
      },
    };
  }
  const misses: string[] = [];
  for (const id of campaign.products) {
    const product = catalog.products.find((p) => p.id === id)!; // the catalog schema checks the references
    const broken = ruleBroken(product, customer);
    if (!broken) return { ok: true, campaign, product };
    misses.push(`${product.id} (not for ${broken})`);
  }
  return {
    ok: false,
    reason: {
      code: 'no-product',
      message: `no gift of campaign ${campaign.id} suits the customer: ${misses.join(', ')}`,
    },
  };
}

/** The text for a language: the locale itself (de-CH), its language (de), else English. */
export function localized(text: Record<string, string>, locale: string): string {
  return text[locale] ?? text[locale.split('-')[0]] ?? text.en;
}

export const IneligibleCode = z.enum(['unknown-campaign', 'consent', 'tier', 'no-product', 'cooldown', 'budget']);
export type IneligibleCode = z.infer<typeof IneligibleCode>;
/** Why a customer gets no gift: a code for reports, a sentence for the run's timeline. */
export interface IneligibleReason {
  code: IneligibleCode;
  message: string;
}

/** What eligibility is decided on, gathered at send time (inside the booking transaction). */
export interface EligibilityFacts {
  campaign: GiftCampaign;
  customer: GiftCustomer;
  /** Why the contact policy's consent rule refuses the campaign's category, if it does. */
  consentRefusal?: string;
  /** The product chosen, or why none suits. */
  choice: GiftChoice;
  /** The customer's latest gift that holds budget or was delivered, in any campaign or journey. */
  lastGift?: { at: Date; campaign: string };
  /** The campaign's budget for this period and what budget-holding gifts have booked of it. */
  budget: { period: string; amount: number; currency: string; booked: number };
  now: Date;
}

export type Eligibility = { eligible: true; product: GiftProduct } | { eligible: false; reason: IneligibleReason };

const day = (date: Date) => date.toISOString().slice(0, 10);
const money = (amount: number, currency: string) => `${Number(amount.toFixed(2))} ${currency}`;
const cents = (amount: number) => Math.round(amount * 100);

/**
 * Whether a customer gets a gift now, checked in this order: consent, tier, a product that suits, the
 * cooldown (any gift within it, whatever the campaign or journey), the period's budget. The first that
 * fails is the reason.
 */
export function checkEligibility(facts: EligibilityFacts): Eligibility {
  const { campaign, customer } = facts;
  if (facts.consentRefusal) return { eligible: false, reason: { code: 'consent', message: facts.consentRefusal } };
  const tier = tierOf(customer);
  if (campaign.tiers && (!tier || !campaign.tiers.includes(tier))) {
    return {
      eligible: false,
      reason: {
        code: 'tier',
        message: tier
          ? `tier ${tier} is not in ${campaign.tiers.join(', ')}`
          : `the customer has no tier (attributes.tier); campaign ${campaign.id} is for ${campaign.tiers.join(', ')}`,
      },
    };
  }
  if (!facts.choice.ok) return { eligible: false, reason: facts.choice.reason };
  const { product } = facts.choice;
  if (facts.lastGift && campaign.cooldown !== 'none') {
    const next = cooldownEnd(facts.lastGift.at, campaign.cooldown);
    if (next.getTime() > facts.now.getTime()) {
      return {
        eligible: false,
        reason: {
          code: 'cooldown',
          message: `a gift on ${day(facts.lastGift.at)} (campaign ${facts.lastGift.campaign}), next possible ${day(next)}`,
        },
      };
    }
  }
  const { budget } = facts;
  if (cents(budget.booked) + cents(product.cost) > cents(budget.amount)) {
    const booked = money(budget.booked, budget.currency);
    return {
      eligible: false,
      reason: {
        code: 'budget',
        message:
          cents(budget.booked) >= cents(budget.amount)
            ? `budget of ${money(budget.amount, budget.currency)} for ${budget.period} used up (${booked} booked)`
            : `budget of ${money(budget.amount, budget.currency)} for ${budget.period} used up (${booked} booked, the gift costs ${money(product.cost, budget.currency)})`,
      },
    };
  }
  return { eligible: true, product };
}

/** What the run keeps as data.gift for the thank-you and the CRM note. */
export const GiftData = z.object({
  key: z.string(),
  campaign: z.string(),
  productId: z.string(),
  kind: GiftKind,
  /** The product's name in the customer's language. */
  name: z.string(),
  description: z.string().optional(),
  value: z.number(),
  currency: z.string(),
  /** What the gift costs the campaign, in its budget currency (for the CRM note and reports). */
  cost: z.number(),
  costCurrency: z.string(),
  code: z.string().optional(),
  link: z.string().optional(),
});
export type GiftData = z.infer<typeof GiftData>;
