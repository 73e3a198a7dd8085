import { EVENT_TYPES, EventInput } from '../../../model/event';

const solved = (overrides: Record<string, unknown> = {}) => ({
  id: 'evt-1',
  type: 'ticket.solved',
  customerId: 'anna',
  data: { ticketId: 'T-42' },
  ...overrides,
});

const issuesOf = (input: unknown) => {
  const result = EventInput.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues;
};

describe('EventInput', () => {
  it('accepts a ticket.solved event and keeps extra data fields (loose data)', () => {
    const event = solved({ data: { ticketId: 'T-42', subject: 'Printer', priority: 'high' } });
    expect(EventInput.parse(event)).toEqual(event);
  });

  it('defaults a missing data to {} and still checks it against the type (so ticketId is missing)', () => {
    const issues = issuesOf({ id: 'evt-1', type: 'ticket.solved', customerId: 'anna' });
    expect(issues.map((i) => i.path)).toEqual([['data', 'ticketId']]);
  });

  it('rejects an unknown event type at path ["type"] and lists the known types', () => {
    const issues = issuesOf(solved({ type: 'ticket.exploded' }));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toEqual(['type']);
    expect(issues[0].message).toContain('unknown event type "ticket.exploded"');
    for (const known of ['ticket.solved', 'ticket.reopened', 'survey.answered']) {
      expect(issues[0].message).toContain(known);
    }
    expect(EVENT_TYPES).toEqual([
      'ticket.solved',
      'ticket.reopened',
      'task.closed',
      'order.placed',
      'customer.deleted',
      'customer.unsubscribed',
      'churn.risk_detected',
      'milestone.reached',
      'gift.requested',
      'gift.address_confirmed',
      'gift.delivered',
      'gift.failed',
      'survey.answered',
    ]);
  });

  it('reports a missing ticketId of ticket.solved at path ["data", "ticketId"]', () => {
    const issues = issuesOf(solved({ data: { subject: 'no ticket id' } }));
    expect(issues.map((i) => i.path)).toEqual([['data', 'ticketId']]);
  });

  it('reports the type-specific data problems together with problems of other fields', () => {
    const issues = issuesOf({ id: 'evt 1', type: 'ticket.solved', data: {} });
    expect(issues.map((i) => i.path.join('.')).sort()).toEqual(['customerId', 'data.ticketId', 'id']);
  });

  it('checks survey.answered data against the survey answer shape, prefixed with "data"', () => {
    const issues = issuesOf(
      solved({ type: 'survey.answered', data: { invitationId: 'inv', kind: 'nps', score: 7.5 } }),
    );
    expect(issues.map((i) => i.path)).toEqual([['data', 'score']]);
    expect(
      EventInput.safeParse(solved({ type: 'survey.answered', data: { invitationId: 'inv', kind: 'nps', score: 7 } }))
        .success,
    ).toBe(true);
  });

  it.each(['2024-05-01', 'yesterday', '2024-05-01 10:00:00', '2024-13-01T10:00:00Z'])(
    'rejects the occurredAt %p at path ["occurredAt"]',
    (occurredAt) => {
      expect(issuesOf(solved({ occurredAt })).map((i) => i.path)).toEqual([['occurredAt']]);
    },
  );

  it.each(['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123+02:00'])(
    'accepts the ISO time %p, with offset',
    (occurredAt) => {
      expect(EventInput.parse(solved({ occurredAt })).occurredAt).toBe(occurredAt);
    },
  );

  it.each(['evt 1', ' evt', 'evt\t1', 'évt'])('rejects the id %p (printable ASCII without spaces only)', (id) => {
    const issues = issuesOf(solved({ id }));
    expect(issues).toEqual([
      expect.objectContaining({ path: ['id'], message: 'must be printable ASCII without spaces' }),
    ]);
  });

  it('rejects unknown top-level keys (strict)', () => {
    const issues = issuesOf(solved({ ticketId: 'T-42' }));
    expect(issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['ticketId'] })]);
  });

  it('rejects a customer id containing "/" (it becomes part of a workflow id)', () => {
    expect(issuesOf(solved({ customerId: 'a/b' })).map((i) => i.path)).toEqual([['customerId']]);
  });

  // `t in EVENT_DATA` would be true for Object.prototype members: the check must be an own-property check.
  it.each(['toString', 'constructor', 'hasOwnProperty'])(
    'rejects the inherited property name %p as an unknown type instead of throwing',
    (type) => {
      expect(issuesOf(solved({ type })).map((i) => i.path)).toEqual([['type']]);
    },
  );
});

describe('EventInput with a data field that is not an object', () => {
  it.each([null, 'x', 5])('reports data %p once, at "data", without invented data.ticketId issues', (data) => {
    const result = EventInput.safeParse({ id: 'e1', type: 'ticket.solved', customerId: 'c', data });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['data']);
  });
});

describe('order.placed', () => {
  it('needs an order id, a non-negative amount and a three-letter currency', () => {
    const parse = (data: unknown) => EventInput.safeParse({ id: 'o', type: 'order.placed', customerId: 'c', data });
    expect(parse({ orderId: 'o-1', amount: 19.9, currency: 'EUR' }).success).toBe(true);
    const bad = parse({ amount: -1, currency: 'EURO' });
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'data.amount',
      'data.currency',
      'data.orderId',
    ]);
  });
});
