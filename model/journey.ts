import { z } from 'zod';
import { Condition } from './condition';
import { Duration } from './duration';
import { AnswerThresholds, SurveyKind } from './survey';

/**
 * The journey language: a trigger, exit and goal events, and a list of steps. Steps run in order;
 * `next` (and a step's own paths) jump to another step by id. Documented in docs/journeys.md.
 */
const StepId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');
const EventType = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'must be an event type such as ticket.solved');
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 09:00');

const StepBase = z.object({
  id: StepId,
  /** The step to run after this one; by default the next step in the list. */
  next: StepId.optional(),
});

export const JourneyCategory = z.enum(['transactional', 'survey', 'marketing']);

/** Where a step goes when its side effect fails for good (e.g. a 5xx, a refused order); default: the run fails. */
const OnFailure = StepId.optional();

export const SendStep = StepBase.extend({
  type: z.literal('send'),
  /** The channel; email is the one channel so far. */
  channel: z.literal('email').default('email'),
  /** Folder under `templates/`; the part for the customer's locale is chosen at send time. */
  template: z.string().min(1),
  /** Put the journey's survey links into the message (same invitation for every send of the run). */
  survey: z.boolean().default(false),
  /** This message's category when it differs from the journey's (e.g. a review ask in a survey journey is marketing). */
  category: JourneyCategory.optional(),
  onFailure: OnFailure,
  /** Where to go when the contact policy skips the message (no consent, unsubscribed, capped); default: next. */
  onSkipped: StepId.optional(),
}).strict();

export const WaitStep = StepBase.extend({
  type: z.literal('wait'),
  /** Exactly one: a duration, a local time of day in the customer's time zone, or a date read from the run. */
  duration: Duration.optional(),
  untilLocalTime: LocalTime.optional(),
  /** A dotted path to a date in the run, e.g. event.data.renewalDate (not a date itself). */
  untilDate: z
    .string()
    .regex(
      /^(event|customer|data|answer)(\.[a-zA-Z0-9_]+)+$/,
      'must be a path to a date in the run, e.g. event.data.renewalDate (a fixed date is not a journey wait)',
    )
    .optional(),
})
  .strict()
  .refine((s) => [s.duration, s.untilLocalTime, s.untilDate].filter((v) => v !== undefined).length === 1, {
    message: 'a wait needs exactly one of "duration", "untilLocalTime" or "untilDate"',
  });

export const WaitForStep = StepBase.extend({
  type: z.literal('waitFor'),
  /** Event types that end the wait; the event must belong to this run (same customer and key). */
  events: z.array(EventType).min(1),
  timeout: Duration,
  /** A path per event type, e.g. { order.placed: thank, ticket.reopened: apologise }. */
  on: z.record(EventType, StepId).optional(),
  /** Where to go when an event without its own path in `on` comes (default: `next`, or the next step). */
  onEvent: StepId.optional(),
  onTimeout: StepId,
}).strict();

export const BranchStep = z
  .object({
    id: StepId,
    type: z.literal('branch'),
    /** The first case whose condition holds decides; none → `otherwise`. */
    cases: z.array(z.object({ when: Condition, next: StepId }).strict()).min(1),
    otherwise: StepId,
  })
  .strict();

export const SplitStep = z
  .object({
    id: StepId,
    type: z.literal('split'),
    /** Weighted paths; the customer's bucket (stable per journey, customer and step) picks one. */
    paths: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
            weight: z.number().positive(),
            next: StepId,
            /** A holdout path is recorded as such: its members get nothing, to measure lift. */
            holdout: z.boolean().default(false),
          })
          .strict(),
      )
      .min(2),
  })
  .strict();

/** Text with {{placeholders}} filled from the run (customer, event, data, answer) when the step runs. */
const TemplateText = z.string().min(1).max(5000);

export const CrmStep = StepBase.extend({
  type: z.literal('crm'),
  /** Customer attributes to set, e.g. { winBack: lost }; values may use {{placeholders}}. */
  update: z
    .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()]))
    .optional(),
  /** A note on the customer's record. */
  note: TemplateText.optional(),
  /** A task for a person, due after `due`. */
  task: z
    .object({
      title: TemplateText,
      /** The SLA: the task is due this long after it is created. */
      due: Duration,
      /** Who should act, e.g. "{{event.data.agent}}" or a team's queue; may use {{placeholders}}. */
      assignee: TemplateText.optional(),
      /** What the assignee needs: the customer's comment, the ticket link, ... */
      description: TemplateText.optional(),
    })
    .strict()
    .optional(),
  onFailure: OnFailure,
})
  .strict()
  .refine((s) => s.update || s.note || s.task, { message: 'a crm step needs "update", "note" or "task"' });

/**
 * Scorers a score step can use (activities/scoring): each reads the customer's history in the store.
 * churn-risk (0..1) also keeps its reasons, as data.<into>Reasons (docs/churn.md).
 */
export const SCORERS = ['days-since-last-order', 'order-count', 'lifetime-value', 'churn-risk'] as const;

export const ScoreStep = StepBase.extend({
  type: z.literal('score'),
  scorer: z.enum(SCORERS, { error: () => `unknown scorer; known scorers: ${SCORERS.join(', ')}` }),
  /** The run data key the score is kept under (read later as data.<into>). */
  into: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/),
}).strict();

export const GiftStep = StepBase.extend({
  type: z.literal('gift'),
  /**
   * The campaign of the gift catalog (gifts/catalog.yaml, GIFT_CATALOG) the gift is booked on: its budget,
   * cooldown, tiers and consent decide eligibility at send time, its products' rules choose the gift.
   */
  campaign: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Only for a campaign the catalog does not have: a fixed voucher of this value (no budget, cooldown or rules). */
  value: z.number().positive().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .optional(),
  /** Where an ineligible customer goes (the reason is in the timeline); default: the run ends as "ineligible". */
  onIneligible: StepId.optional(),
  /** Physical gifts: how long the customer has to confirm the shipping address. */
  confirmWithin: Duration.default('14d'),
  /**
   * How long the provider is retried while it answers with temporary errors (an outage, 5xx) before the step
   * asks whether the order exists and decides; polls while an order is pending are retried up to 30 minutes.
   */
  providerTimeout: Duration.default('1d'),
  /** Physical gifts: where the run goes when no address came in time; default: the run ends as "unclaimed". */
  onUnclaimed: StepId.optional(),
  /** Physical gifts: the email with the address-confirmation link (data.gift.addressLink). */
  addressTemplate: z.string().min(1).default('gift-address-request'),
  /** Where the run goes when the order fails for good (refused, failed at the provider); default: the run fails. */
  onFailure: OnFailure,
})
  .strict()
  .refine((s) => (s.value === undefined) === (s.currency === undefined), {
    message: 'a fixed voucher needs both "value" and "currency" (or neither, for a gift from the catalog)',
  });

export const CouponStep = StepBase.extend({
  type: z.literal('coupon'),
  /** The campaign the coupon belongs to (reports and redemption are per campaign). */
  campaign: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Either a percentage off, or an amount off in a currency. */
  percentOff: z.number().positive().max(100).optional(),
  amountOff: z.number().positive().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .optional(),
  /** How long the code can be redeemed, from when it is issued. */
  validFor: Duration.default('14d'),
  onFailure: OnFailure,
})
  .strict()
  .refine((s) => (s.percentOff === undefined) !== (s.amountOff === undefined), {
    message: 'a coupon needs exactly one of "percentOff" or "amountOff"',
  })
  .refine((s) => s.amountOff === undefined || s.currency !== undefined, {
    message: 'an "amountOff" coupon needs a "currency"',
    path: ['currency'],
  });

export const WebhookStep = StepBase.extend({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  /** The JSON body with {{placeholders}}; by default the run's customer id, journey and data. */
  body: TemplateText.optional(),
  onFailure: OnFailure,
}).strict();

export const ExitStep = z
  .object({
    id: StepId,
    type: z.literal('exit'),
    /** How the run ended, for the timeline and metrics, e.g. "answered" or "no-response". */
    outcome: z.string().regex(/^[a-z][a-z0-9-]*$/),
  })
  .strict();

// The descriptions show in editors through the JSON Schema (`touchpoint journeys schema`).
export const Step = z.discriminatedUnion('type', [
  SendStep.describe("send: an email from a template, in the customer's locale"),
  WaitStep.describe("wait: a duration, a local time of day in the customer's time zone, or a date in the run"),
  WaitForStep.describe('waitFor: one of some events of this run (same customer and key), at most `timeout`'),
  BranchStep.describe('branch: the first case whose condition holds, else `otherwise`'),
  SplitStep.describe('split: weighted paths (A/B tests, holdouts); a customer always takes the same path'),
  CrmStep.describe("crm: the customer's CRM record: attributes, a note, a task with a due date"),
  ScoreStep.describe('score: a named scorer, kept as data.<into>'),
  GiftStep.describe(
    'gift: a gift from the catalog, if the customer is eligible at send time (consent, tier, cooldown, budget), kept as data.gift',
  ),
  CouponStep.describe('coupon: a personal coupon code, issued once per run and step, kept as data.coupon'),
  WebhookStep.describe('webhook: an HTTP call, retried on 5xx, with the run and step as Idempotency-Key'),
  ExitStep.describe('exit: end the run with an outcome'),
]);
export type Step = z.infer<typeof Step>;
export type SendStep = z.infer<typeof SendStep>;
export type WaitStep = z.infer<typeof WaitStep>;
export type WaitForStep = z.infer<typeof WaitForStep>;
export type BranchStep = z.infer<typeof BranchStep>;
export type SplitStep = z.infer<typeof SplitStep>;
export type CrmStep = z.infer<typeof CrmStep>;
export type ScoreStep = z.infer<typeof ScoreStep>;
export type GiftStep = z.infer<typeof GiftStep>;
export type CouponStep = z.infer<typeof CouponStep>;
export type WebhookStep = z.infer<typeof WebhookStep>;
export type ExitStep = z.infer<typeof ExitStep>;

/**
 * The flow graph: for each step, the steps it can lead to, including "the next step in the list"
 * where it falls through. Used by validation (reachability, loops) and documentation tools.
 */
export function stepGraph(steps: Step[]): Map<string, string[]> {
  return new Map(
    steps.map((step, i) => {
      const following = steps[i + 1]?.id;
      const targets: (string | undefined)[] =
        step.type === 'waitFor'
          ? [...Object.values(step.on ?? {}), step.onEvent ?? step.next ?? following, step.onTimeout]
          : step.type === 'branch'
            ? [...step.cases.map((c) => c.next), step.otherwise]
            : step.type === 'split'
              ? step.paths.map((p) => p.next)
              : step.type === 'exit'
                ? []
                : [
                    step.next ?? following,
                    'onFailure' in step ? step.onFailure : undefined,
                    step.type === 'send' ? step.onSkipped : undefined,
                    step.type === 'gift' ? step.onIneligible : undefined,
                    step.type === 'gift' ? step.onUnclaimed : undefined,
                  ];
      return [step.id, [...new Set(targets.filter((t): t is string => t !== undefined))]];
    }),
  );
}

/** Whether a step can continue with "the next step in the list" (none follows the last one). */
function fallsThrough(step: Step): boolean {
  switch (step.type) {
    case 'exit':
    case 'branch':
    case 'split':
      return false;
    case 'waitFor':
      return !step.onEvent && !step.next && step.events.some((type) => !step.on?.[type]);
    default:
      return !step.next;
  }
}

/**
 * Re-entry: `once` = one run per customer ever; `oncePerKey` = one per customer and trigger key ever;
 * `{ cooldown }` = again after the previous run ended at least that long ago.
 */
export const Reentry = z.union([z.literal('once'), z.literal('oncePerKey'), z.object({ cooldown: Duration }).strict()]);
export type Reentry = z.infer<typeof Reentry>;

export const Journey = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes')
      .describe('The journey id; runs are <id>/<customer>[/<key>]'),
    version: z.number().int().positive().describe('Publishing needs a higher version; running runs keep theirs'),
    name: z.string().min(1),
    category: JourneyCategory.describe('transactional, survey or marketing (the contact policy uses it)'),
    trigger: z
      .object({
        /** The event type that starts a run. */
        event: EventType,
        /** Dotted path into the event whose value keys the run (e.g. "data.ticketId"). */
        key: z
          .string()
          .regex(/^[a-zA-Z]+(\.[a-zA-Z0-9_]+)*$/)
          .optional(),
        /** Start only when this holds, evaluated on { event, customer }. */
        when: Condition.optional(),
      })
      .strict(),
    /** Default: `oncePerKey` with a trigger key, else `once`. */
    reentry: Reentry.optional(),
    /** Events that end a run at once, also while it sleeps (e.g. ticket.reopened, customer.deleted). */
    exit: z.array(EventType).default([]),
    /** Events that count as a conversion and end the run at once (e.g. order.placed in a win-back). */
    goal: z.array(EventType).default([]),
    /** The outcome a goal event gives the run (e.g. won-back); default "goal". */
    goalOutcome: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .optional(),
    /** The languages the journey's messages exist in; `validate` checks every template has each. */
    locales: z
      .array(z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a locale such as en, de or de-CH'))
      .default(['en']),
    survey: z
      .object({
        kind: SurveyKind,
        /** How long the links in the invitation stay valid. */
        linksValidFor: Duration.default('30d'),
        /** Where detractors end and promoters begin; default per kind (NPS 6/9, CSAT 2/4, CES 3/5). */
        thresholds: AnswerThresholds.optional(),
      })
      .strict()
      .optional(),
    steps: z.array(Step).min(1),
  })
  .strict()
  .superRefine((journey, ctx) => {
    const ids = new Set<string>();
    journey.steps.forEach((step, index) => {
      if (ids.has(step.id)) {
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'id'], message: `duplicate step id "${step.id}"` });
      }
      ids.add(step.id);
    });
    journey.steps.forEach((step, index) => {
      for (const [field, target] of stepReferences(step)) {
        if (!ids.has(target)) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', index, ...field],
            message: `refers to step "${target}", which this journey does not have`,
          });
        }
      }
      if (step.type === 'send' && step.survey && !journey.survey) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'survey'],
          message: 'the step sends survey links but the journey has no "survey" section',
        });
      }
    });
    const last = journey.steps[journey.steps.length - 1];
    if (last && fallsThrough(last)) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', journey.steps.length - 1],
        message: 'the last step must be an "exit" (or jump elsewhere with "next")',
      });
    }
    if (journey.reentry === 'oncePerKey' && !journey.trigger.key) {
      ctx.addIssue({ code: 'custom', path: ['reentry'], message: '"oncePerKey" needs a trigger key' });
    }
  });
export type Journey = z.infer<typeof Journey>;

/** Every step reference of a step, with the field path it stands at (for error messages). */
function stepReferences(step: Step): [(string | number)[], string][] {
  const refs: [(string | number)[], string][] = [];
  if ('next' in step && step.next) refs.push([['next'], step.next]);
  if ('onFailure' in step && step.onFailure) refs.push([['onFailure'], step.onFailure]);
  if (step.type === 'send' && step.onSkipped) refs.push([['onSkipped'], step.onSkipped]);
  if (step.type === 'gift' && step.onIneligible) refs.push([['onIneligible'], step.onIneligible]);
  if (step.type === 'gift' && step.onUnclaimed) refs.push([['onUnclaimed'], step.onUnclaimed]);
  if (step.type === 'waitFor') {
    for (const [type, target] of Object.entries(step.on ?? {})) refs.push([['on', type], target]);
    if (step.onEvent) refs.push([['onEvent'], step.onEvent]);
    refs.push([['onTimeout'], step.onTimeout]);
  }
  if (step.type === 'branch') {
    step.cases.forEach((c, i) => refs.push([['cases', i, 'next'], c.next]));
    refs.push([['otherwise'], step.otherwise]);
  }
  if (step.type === 'split') step.paths.forEach((p, i) => refs.push([['paths', i, 'next'], p.next]));
  return refs;
}

export function reentryOf(journey: Journey): Reentry {
  return journey.reentry ?? (journey.trigger.key ? 'oncePerKey' : 'once');
}

/** The deterministic workflow id of a run: `<journeyId>/<customerId>[/<key>]`. */
export function journeyWorkflowId(journey: Pick<Journey, 'id'>, customerId: string, key?: string): string {
  return key === undefined ? `${journey.id}/${customerId}` : `${journey.id}/${customerId}/${key}`;
}
