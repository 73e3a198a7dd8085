import type { SuppressionReason } from '../../model/contact-policy';
import type { Queryable } from './database';

export interface Suppression {
  email: string;
  reason: SuppressionReason;
  note?: string;
  source: string;
  createdAt: string;
}

interface SuppressionRow {
  email: string;
  reason: SuppressionReason;
  note: string | null;
  source: string;
  created_at: Date;
}

const toSuppression = (row: SuppressionRow): Suppression => ({
  email: row.email,
  reason: row.reason,
  note: row.note ?? undefined,
  source: row.source,
  createdAt: new Date(row.created_at).toISOString(),
});

/** Addresses that get no survey or marketing mail. Addresses compare case-insensitively. */
export class Suppressions {
  constructor(private readonly db: Queryable) {}

  /** Adds the address, or updates its reason; returns the entry and whether it is new. */
  async add(
    email: string,
    entry: { reason: SuppressionReason; note?: string; source: string },
  ): Promise<{ suppression: Suppression; created: boolean }> {
    const [row] = await this.db.query<SuppressionRow & { inserted: boolean }>(
      `INSERT INTO suppressions (email, reason, note, source) VALUES (lower($1), $2, $3, $4)
       ON CONFLICT (email) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note, source = EXCLUDED.source
       RETURNING *, (xmax = 0) AS inserted`,
      [email, entry.reason, entry.note ?? null, entry.source],
    );
    return { suppression: toSuppression(row), created: row.inserted };
  }

  async remove(email: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM suppressions WHERE email = lower($1) RETURNING 1', [email])).length > 0;
  }

  async find(email: string): Promise<Suppression | undefined> {
    const [row] = await this.db.query<SuppressionRow>('SELECT * FROM suppressions WHERE email = lower($1)', [email]);
    return row ? toSuppression(row) : undefined;
  }

  async list(options: { reason?: SuppressionReason; limit?: number } = {}): Promise<Suppression[]> {
    const rows = await this.db.query<SuppressionRow>(
      `SELECT * FROM suppressions WHERE ($1::text IS NULL OR reason = $1) ORDER BY created_at DESC, email LIMIT $2`,
      [options.reason ?? null, options.limit ?? 100],
    );
    return rows.map(toSuppression);
  }
}
