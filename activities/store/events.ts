import type { Queryable } from './database';

export interface StoredEvent {
  id: string;
  type: string;
  customerId: string;
  occurredAt: string;
  data: Record<string, unknown>;
  routedAt?: string;
  routing?: unknown;
}

interface EventRow {
  id: string;
  type: string;
  customer_id: string;
  occurred_at: Date;
  data: Record<string, unknown>;
  routed_at: Date | null;
  routing: unknown;
}

const toEvent = (row: EventRow): StoredEvent => ({
  id: row.id,
  type: row.type,
  customerId: row.customer_id,
  occurredAt: new Date(row.occurred_at).toISOString(),
  data: row.data,
  routedAt: row.routed_at ? new Date(row.routed_at).toISOString() : undefined,
  routing: row.routing ?? undefined,
});

/** The event log: every accepted event once, keyed by its id. */
export class EventStore {
  constructor(private readonly db: Queryable) {}

  /** Records the event unless its id is known; returns the stored row and whether it was new. */
  async record(event: Omit<StoredEvent, 'routedAt' | 'routing'>): Promise<{ event: StoredEvent; isNew: boolean }> {
    const inserted = await this.db.query<EventRow>(
      `INSERT INTO events (id, type, customer_id, occurred_at, data) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING *`,
      [event.id, event.type, event.customerId, event.occurredAt, JSON.stringify(event.data)],
    );
    if (inserted[0]) return { event: toEvent(inserted[0]), isNew: true };
    const [existing] = await this.db.query<EventRow>('SELECT * FROM events WHERE id = $1', [event.id]);
    return { event: toEvent(existing), isNew: false };
  }

  /**
   * For each customer, the latest event of `type` since `since` that started a run (e.g. the last win-back
   * enrolment): its id and when it happened.
   */
  async lastStarts(type: string, customerIds: string[], since: string): Promise<Map<string, StoredEvent>> {
    const rows = await this.db.query<EventRow>(
      `SELECT DISTINCT ON (customer_id) * FROM events
       WHERE type = $1 AND customer_id = ANY($2::text[]) AND occurred_at >= $3
         AND jsonb_array_length(COALESCE(routing->'started', '[]'::jsonb)) > 0
       ORDER BY customer_id, occurred_at DESC`,
      [type, customerIds, since],
    );
    return new Map(rows.map((row) => [row.customer_id, toEvent(row)]));
  }

  async markRouted(id: string, routing: unknown): Promise<void> {
    await this.db.query('UPDATE events SET routed_at = now(), routing = $2 WHERE id = $1', [
      id,
      JSON.stringify(routing),
    ]);
  }
}
