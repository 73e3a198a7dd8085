import {
  BUDGET_HOLDING_STATUSES,
  checkEligibility,
  chooseGift,
  cooldownEnd,
  countryOf,
  GiftCatalog,
  GiftStatus,
  type EligibilityFacts,
  type GiftCustomer,
} from '../../../model/gift';
import { periodKey } from '../../../model/period';
import { Journey } from '../../../model/journey';

const catalog = GiftCatalog.parse({
  campaigns: [
    {
      id: 'thank-you',
      budget: { amount: 500, currency: 'EUR', period: 'month' },
      tiers: ['gold', 'platinum'],
      products: ['box', 'coffee-fan', 'voucher-usd', 'voucher-eur'],
    },
    { id: 'anyone', budget: { amount: 100, currency: 'EUR', period: 'year' }, products: ['voucher-usd'] },
  ],
  products: [
    {
      id: 'box',
      kind: 'physical',
      name: { en: 'Gift box', de: 'Geschenkbox' },
      value: 40,
      currency: 'EUR',
      cost: 45,
      rules: { tiers: ['platinum'], countries: ['DE', 'AT', 'CH'] },
    },
    {
      id: 'coffee-fan',
      kind: 'digital',
      name: { en: 'Coffee voucher' },
      value: 20,
      currency: 'EUR',
      cost: 20,
      rules: { locales: ['de'], attributes: { drink: ['coffee', 'espresso'] } },
    },
    {
      id: 'voucher-usd',
      kind: 'digital',
      name: { en: '$25 voucher' },
      value: 25,
      currency: 'USD',
      cost: 24,
      rules: { countries: ['US'] },
    },
    { id: 'voucher-eur', kind: 'digital', name: { en: '25 € voucher' }, value: 25, currency: 'EUR', cost: 25 },
  ],
});

const customer = (locale: string, attributes: Record<string, unknown> = {}): GiftCustomer => ({ locale, attributes });
const chosen = (campaign: string, who: GiftCustomer) => {
  const choice = chooseGift(catalog, campaign, who);
  return choice.ok ? choice.product.id : choice.reason;
};

describe('gift statuses', () => {
  it('hold budget while booked, ordered or delivered, and none once refused, unclaimed, failed or released', () => {
    expect(BUDGET_HOLDING_STATUSES).toEqual([
      'reserved',
      'awaiting-address',
      'ordered',
      'pending-approval',
      'delivered',
    ]);
    const holdingNone = GiftStatus.options.filter((s) => !BUDGET_HOLDING_STATUSES.includes(s));
    expect(holdingNone).toEqual(['ineligible', 'unclaimed', 'failed', 'released']);
  });
});

describe('periodKey', () => {
  it('names the month, quarter and year of a date in UTC', () => {
    const date = new Date('2026-11-23T10:00:00Z');
    expect(periodKey(date, 'month')).toBe('2026-11');
    expect(periodKey(date, 'quarter')).toBe('2026-Q4');
    expect(periodKey(date, 'year')).toBe('2026');
    expect(periodKey(new Date('2026-01-01T00:00:00Z'), 'quarter')).toBe('2026-Q1');
    expect(periodKey(new Date('2026-03-31T23:59:59Z'), 'quarter')).toBe('2026-Q1');
    expect(periodKey(new Date('2026-04-01T00:00:00Z'), 'month')).toBe('2026-04');
    // UTC: late evening in New York on New Year's Eve is already next year's budget
    expect(periodKey(new Date('2026-12-31T20:00:00-05:00'), 'year')).toBe('2027');
  });
});

describe('cooldownEnd', () => {
  it('counts calendar months and years, clamped to the end of a shorter month, and days', () => {
    expect(cooldownEnd(new Date('2026-03-02T09:00:00Z'), '12 months').toISOString()).toBe('2027-03-02T09:00:00.000Z');
    expect(cooldownEnd(new Date('2026-01-31T00:00:00Z'), '1 month').toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(cooldownEnd(new Date('2024-02-29T00:00:00Z'), '1 year').toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(cooldownEnd(new Date('2026-03-02T00:00:00Z'), '90 days').toISOString()).toBe('2026-05-31T00:00:00.000Z');
    expect(cooldownEnd(new Date('2026-03-02T00:00:00Z'), 'none').toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });
});

describe('chooseGift', () => {
  it('takes the first product of the campaign, in its listed order, whose rules all hold', () => {
    expect(chosen('thank-you', customer('de-DE', { tier: 'platinum' }))).toBe('box');
    // the box is for platinum only; a German coffee drinker gets the coffee voucher next
    expect(chosen('thank-you', customer('de', { tier: 'gold', country: 'de', drink: 'espresso' }))).toBe('coffee-fan');
    // neither coffee nor the US: the EUR voucher, which has no rules
    expect(chosen('thank-you', customer('de-AT', { tier: 'gold', drink: 'tea' }))).toBe('voucher-eur');
    expect(chosen('thank-you', customer('en', { tier: 'gold', country: 'US' }))).toBe('voucher-usd');
    // platinum but in the US: no box (country), the USD voucher
    expect(chosen('thank-you', customer('en-US', { tier: 'platinum' }))).toBe('voucher-usd');
  });

  it('names what each product needed when none suits, and an unknown campaign', () => {
    expect(chosen('anyone', customer('en-GB'))).toEqual({
      code: 'no-product',
      message: 'no gift of campaign anyone suits the customer: voucher-usd (not for country GB)',
    });
    expect(chosen('birthday', customer('en'))).toEqual({
      code: 'unknown-campaign',
      message: 'campaign "birthday" is not in the gift catalog; known: thank-you, anyone',
    });
  });

  it('reads the country from attributes.country, else the region of the locale', () => {
    expect(countryOf(customer('de-CH', { country: 'at' }))).toBe('AT');
    expect(countryOf(customer('de-CH'))).toBe('CH');
    expect(countryOf(customer('de'))).toBeUndefined();
  });
});

describe('checkEligibility', () => {
  const campaign = catalog.campaigns[0];
  const now = new Date('2026-11-23T10:00:00Z');
  const gold = customer('de-DE', { tier: 'gold' });
  const facts = (overrides: Partial<EligibilityFacts> = {}): EligibilityFacts => ({
    campaign,
    customer: gold,
    choice: chooseGift(catalog, 'thank-you', overrides.customer ?? gold),
    budget: { period: '2026-11', amount: 500, currency: 'EUR', booked: 0 },
    now,
    ...overrides,
  });
  const reason = (f: EligibilityFacts) => {
    const result = checkEligibility(f);
    return result.eligible ? `eligible: ${result.product.id}` : result.reason.message;
  };

  it('lets an eligible customer have the chosen product', () => {
    expect(reason(facts())).toBe('eligible: voucher-eur');
    // the budget may be used up exactly
    expect(reason(facts({ budget: { period: '2026-11', amount: 500, currency: 'EUR', booked: 475 } }))).toBe(
      'eligible: voucher-eur',
    );
    // a gift more than 12 months ago no longer counts
    expect(reason(facts({ lastGift: { at: new Date('2025-11-22T10:00:00Z'), campaign: 'thank-you' } }))).toBe(
      'eligible: voucher-eur',
    );
  });

  it('refuses without consent, with the contact policy’s reason', () => {
    expect(reason(facts({ consentRefusal: 'no marketing consent (neither granted nor soft opt-in)' }))).toBe(
      'no marketing consent (neither granted nor soft opt-in)',
    );
  });

  it('refuses a tier the campaign is not for, and a customer without a tier', () => {
    const silver = customer('de-DE', { tier: 'silver' });
    expect(reason(facts({ customer: silver }))).toBe('tier silver is not in gold, platinum');
    const none = customer('de-DE');
    expect(reason(facts({ customer: none }))).toBe(
      'the customer has no tier (attributes.tier); campaign thank-you is for gold, platinum',
    );
  });

  it('refuses within the cooldown, naming the earlier gift and the next possible day, whatever its campaign', () => {
    const lastGift = { at: new Date('2026-03-02T08:00:00Z'), campaign: 'anniversary' };
    expect(reason(facts({ lastGift }))).toBe('a gift on 2026-03-02 (campaign anniversary), next possible 2027-03-02');
  });

  it('refuses when the period’s budget cannot pay for the gift', () => {
    const used = { period: '2026-11', amount: 500, currency: 'EUR', booked: 500 };
    expect(reason(facts({ budget: used }))).toBe('budget of 500 EUR for 2026-11 used up (500 EUR booked)');
    const nearly = { period: '2026-11', amount: 500, currency: 'EUR', booked: 480 };
    expect(reason(facts({ budget: nearly }))).toBe(
      'budget of 500 EUR for 2026-11 used up (480 EUR booked, the gift costs 25 EUR)',
    );
    // cents, not floating point: 0.1 + 0.2 booked of 0.3 leaves nothing
    const tiny = GiftCatalog.parse({
      campaigns: [{ id: 'c', budget: { amount: 0.3, currency: 'EUR', period: 'month' }, products: ['p'] }],
      products: [{ id: 'p', kind: 'digital', name: { en: 'P' }, value: 1, currency: 'EUR', cost: 0.1 }],
    });
    const tinyFacts = {
      ...facts(),
      campaign: tiny.campaigns[0],
      choice: chooseGift(tiny, 'c', gold),
      budget: { period: '2026-11', amount: 0.3, currency: 'EUR', booked: 0.1 + 0.1 },
    };
    expect(reason(tinyFacts)).toBe('eligible: p');
  });

  it('checks consent, tier, product, cooldown and budget in that order', () => {
    const all: Partial<EligibilityFacts> = {
      consentRefusal: 'no marketing consent (neither granted nor soft opt-in)',
      customer: customer('en-GB', { tier: 'silver' }),
      lastGift: { at: new Date('2026-10-01T00:00:00Z'), campaign: 'thank-you' },
      budget: { period: '2026-11', amount: 500, currency: 'EUR', booked: 500 },
    };
    expect(checkEligibility(facts(all))).toMatchObject({ eligible: false, reason: { code: 'consent' } });
    expect(checkEligibility(facts({ ...all, consentRefusal: undefined }))).toMatchObject({ reason: { code: 'tier' } });
    const gold = customer('de', { tier: 'gold' });
    expect(checkEligibility(facts({ ...all, consentRefusal: undefined, customer: gold }))).toMatchObject({
      reason: { code: 'cooldown' },
    });
    expect(
      checkEligibility(facts({ ...all, consentRefusal: undefined, customer: gold, lastGift: undefined })),
    ).toMatchObject({ reason: { code: 'budget' } });
  });
});

describe('the catalog schema', () => {
  it('refuses unknown product references, duplicate ids, and a delivery method on a physical gift', () => {
    const result = GiftCatalog.safeParse({
      campaigns: [
        { id: 'a', budget: { amount: 10, currency: 'EUR', period: 'week' }, products: ['x', 'missing'] },
        { id: 'a', budget: { amount: 10, currency: 'EUR', period: 'month' }, products: ['x'] },
      ],
      products: [
        { id: 'x', kind: 'physical', name: { de: 'X' }, value: 1, currency: 'EUR', cost: 1, delivery: 'EMAIL' },
      ],
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^campaigns\.0\.budget\.period: /),
        'products.0.name: needs an "en" text (the fallback for other languages)',
        'products.0.delivery: is for digital gifts only; a physical gift is shipped to the address the customer confirms',
      ]),
    );
  });

  it('defaults the cooldown to 12 months and the consent to marketing', () => {
    expect(catalog.campaigns[1]).toMatchObject({ cooldown: '12 months', consent: 'marketing' });
  });
});

describe('the gift step', () => {
  const journey = (gift: Record<string, unknown>) => ({
    id: 'gifts',
    version: 1,
    name: 'Gifts',
    category: 'marketing',
    trigger: { event: 'milestone.reached' },
    steps: [
      { id: 'gift', type: 'gift', campaign: 'thank-you', ...gift },
      { id: 'done', type: 'exit', outcome: 'done' },
      { id: 'sorry', type: 'exit', outcome: 'sorry' },
    ],
  });

  it('takes a catalog campaign alone, with defaults for the address wait', () => {
    const parsed = Journey.parse(journey({ onIneligible: 'sorry', onUnclaimed: 'sorry' }));
    expect(parsed.steps[0]).toMatchObject({ confirmWithin: '14d', addressTemplate: 'gift-address-request' });
  });

  it('checks its paths and that a fixed voucher has both value and currency', () => {
    const result = Journey.safeParse(journey({ onIneligible: 'nowhere', value: 5 }));
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(
      expect.arrayContaining([
        'steps.0: a fixed voucher needs both "value" and "currency" (or neither, for a gift from the catalog)',
      ]),
    );
    const paths = Journey.safeParse(journey({ onUnclaimed: 'nowhere' }));
    expect(paths.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'steps.0.onUnclaimed: refers to step "nowhere", which this journey does not have',
    ]);
  });
});
