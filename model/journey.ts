import { z } from 'zod';
import { Duration } from './duration';
import { SurveyKind } from './survey';

/**
 * The journey language (first cut): a journey is a trigger plus a list of steps.
 * Steps run in order; `next` / `onEvent` / `onTimeout` jump to another step by id.
 */
const StepId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');

const StepBase = z.object({ id: StepId });

export const SendStep = StepBase.extend({
  type: z.literal('send'),
  /** Folder under `templates/`; the part for the customer's locale is chosen at send time. */
  template: z.string().min(1),
  /** Put the journey's survey links into the message (same invitation for every send of the run). */
  survey: z.boolean().default(false),
  next: StepId.optional(),
}).strict();

export const WaitForStep = StepBase.extend({
  type: z.literal('waitFor'),
  /** Event types that end the wait; the event must belong to this run (same customer and key). */
  events: z.array(z.string().min(1)).min(1),
  timeout: Duration,
  onEvent: StepId.optional(),
  onTimeout: StepId,
}).strict();

export const ExitStep = StepBase.extend({
  type: z.literal('exit'),
  /** How the run ended, for the timeline and metrics, e.g. "answered" or "no-response". */
  outcome: z.string().regex(/^[a-z][a-z0-9-]*$/),
}).strict();

export const Step = z.discriminatedUnion('type', [SendStep, WaitForStep, ExitStep]);
export type Step = z.infer<typeof Step>;
export type SendStep = z.infer<typeof SendStep>;
export type WaitForStep = z.infer<typeof WaitForStep>;
export type ExitStep = z.infer<typeof ExitStep>;

export const JourneyCategory = z.enum(['transactional', 'survey', 'marketing']);

export const Journey = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    version: z.number().int().positive(),
    name: z.string().min(1),
    category: JourneyCategory,
    trigger: z
      .object({
        /** The event type that starts a run. */
        event: z.string().min(1),
        /**
         * Dotted path into the event whose value keys the run (e.g. "data.ticketId"): one run per
         * customer and key, ever. Without it: one run per customer.
         */
        key: z
          .string()
          .regex(/^[a-zA-Z]+(\.[a-zA-Z0-9_]+)*$/)
          .optional(),
      })
      .strict(),
    survey: z
      .object({
        kind: SurveyKind,
        /** How long the links in the invitation stay valid. */
        linksValidFor: Duration.default('30d'),
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
      for (const field of ['next', 'onEvent', 'onTimeout'] as const) {
        const target = (step as Record<string, unknown>)[field];
        if (typeof target === 'string' && !ids.has(target)) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', index, field],
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
    if (last && last.type !== 'exit' && !(last.type === 'send' && last.next)) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', journey.steps.length - 1],
        message: 'the last step must be an "exit" (or jump elsewhere with "next")',
      });
    }
  });
export type Journey = z.infer<typeof Journey>;

/** Reads a dotted path ("data.ticketId") out of an object; undefined when any part is missing. */
export function readPath(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The deterministic workflow id of a run: `<journeyId>/<customerId>[/<key>]`. */
export function journeyWorkflowId(journey: Pick<Journey, 'id'>, customerId: string, key?: string): string {
  return key === undefined ? `${journey.id}/${customerId}` : `${journey.id}/${customerId}/${key}`;
}
