import { z } from 'zod';
import { readPath } from './path';

/**
 * The safe expression form used by `trigger.when` and `branch` steps: data, never code (no `eval`).
 *   { path: answer.score, op: lte, value: 6 }
 *   { all: [ ... ] }  { any: [ ... ] }  { not: { ... } }
 * Paths read the run's context: event.*, customer.* (locale, timeZone, attributes), data.*, answer.*.
 */
const Comparison = z
  .object({
    path: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)*$/, 'must be a dotted path such as answer.score'),
    op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'exists', 'contains']),
    value: z.unknown().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.op === 'exists') return;
    if (c.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `op "${c.op}" needs a value` });
    if (c.op === 'in' && !Array.isArray(c.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'op "in" needs a list of values' });
    }
  });

export type Condition = z.infer<typeof Comparison> | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    Comparison,
    z.object({ all: z.array(Condition).min(1) }).strict(),
    z.object({ any: z.array(Condition).min(1) }).strict(),
    z.object({ not: Condition }).strict(),
  ]),
);

/** Evaluates a condition against a context object. Pure and deterministic: safe inside workflows. */
export function evaluate(condition: Condition, context: unknown): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluate(c, context));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, context));
  if ('not' in condition) return !evaluate(condition.not, context);
  const actual = readPath(context, condition.path);
  const expected = condition.value;
  switch (condition.op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
    case 'contains':
      return (Array.isArray(actual) || typeof actual === 'string') && actual.includes(expected as never);
    default:
      return compare(actual, expected, condition.op);
  }
}

function compare(actual: unknown, expected: unknown, op: 'lt' | 'lte' | 'gt' | 'gte'): boolean {
  // Numbers compare as numbers, strings (e.g. ISO dates) as strings; mixed or missing values never match.
  if (typeof actual !== typeof expected || (typeof actual !== 'number' && typeof actual !== 'string')) return false;
  const a = actual as number | string;
  const b = expected as number | string;
  return op === 'lt' ? a < b : op === 'lte' ? a <= b : op === 'gt' ? a > b : a >= b;
}
