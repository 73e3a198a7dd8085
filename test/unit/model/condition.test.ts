import { Condition, evaluate } from '../../../model/condition';

const context = {
  event: { type: 'ticket.solved', data: { team: 'vip', tags: ['billing', 'urgent'] } },
  customer: { locale: 'de', attributes: { tier: 'gold', orders: 7, since: '2024-03-01' } },
  answer: { score: 4 },
};

describe('evaluate', () => {
  it.each<[string, Condition, boolean]>([
    ['eq', { path: 'event.data.team', op: 'eq', value: 'vip' }, true],
    ['eq is strict', { path: 'customer.attributes.orders', op: 'eq', value: '7' }, false],
    ['ne', { path: 'customer.locale', op: 'ne', value: 'en' }, true],
    ['lte on numbers', { path: 'answer.score', op: 'lte', value: 6 }, true],
    ['gt on numbers', { path: 'answer.score', op: 'gt', value: 4 }, false],
    ['gte on ISO dates as strings', { path: 'customer.attributes.since', op: 'gte', value: '2024-01-01' }, true],
    ['mixed types never compare', { path: 'customer.attributes.orders', op: 'gt', value: '1' }, false],
    ['missing values never compare', { path: 'answer.missing', op: 'lt', value: 10 }, false],
    ['in', { path: 'customer.attributes.tier', op: 'in', value: ['gold', 'platinum'] }, true],
    ['contains on a list', { path: 'event.data.tags', op: 'contains', value: 'urgent' }, true],
    ['contains on a string', { path: 'event.type', op: 'contains', value: 'ticket' }, true],
    ['exists', { path: 'customer.attributes.tier', op: 'exists' }, true],
    ['exists on a missing path', { path: 'customer.attributes.nothing', op: 'exists' }, false],
    ['inherited properties are not data', { path: 'customer.constructor', op: 'exists' }, false],
  ])('%s', (_, condition, expected) => {
    expect(evaluate(Condition.parse(condition), context)).toBe(expected);
  });

  it('combines with all, any and not', () => {
    const gold = { path: 'customer.attributes.tier', op: 'eq', value: 'gold' } as const;
    const detractor = { path: 'answer.score', op: 'lte', value: 6 } as const;
    const english = { path: 'customer.locale', op: 'eq', value: 'en' } as const;
    expect(evaluate({ all: [gold, detractor] }, context)).toBe(true);
    expect(evaluate({ all: [gold, english] }, context)).toBe(false);
    expect(evaluate({ any: [english, detractor] }, context)).toBe(true);
    expect(evaluate({ not: english }, context)).toBe(true);
    expect(evaluate({ not: { any: [gold, english] } }, context)).toBe(false);
  });
});

describe('Condition schema', () => {
  it('rejects code, unknown operators and missing values', () => {
    expect(Condition.safeParse('answer.score <= 6').success).toBe(false);
    expect(Condition.safeParse({ path: 'answer.score', op: 'matches', value: '.*' }).success).toBe(false);
    expect(Condition.safeParse({ path: 'answer.score', op: 'lte' }).success).toBe(false);
    expect(Condition.safeParse({ path: 'x', op: 'in', value: 'gold' }).success).toBe(false);
    expect(Condition.safeParse({ path: 'a; drop', op: 'eq', value: 1 }).success).toBe(false);
    expect(Condition.safeParse({ all: [] }).success).toBe(false);
  });
});
