import type { ContactCategory, MarketingConsent, PreferenceState } from '../../model/contact-policy';
import type { Queryable } from './database';

export interface Preference {
  category: ContactCategory;
  state: PreferenceState;
  source: string;
  updatedAt: string;
}

interface PreferenceRow {
  category: ContactCategory;
  state: PreferenceState;
  source: string;
  updated_at: Date;
}

/** Each customer's stand per category: consent given, soft opt-in, or opted out (by link, page or API). */
export class ContactPreferences {
  constructor(private readonly db: Queryable) {}

  async forCustomer(customerId: string): Promise<Preference[]> {
    const rows = await this.db.query<PreferenceRow>(
      'SELECT category, state, source, updated_at FROM contact_preferences WHERE customer_id = $1 ORDER BY category',
      [customerId],
    );
    return rows.map((row) => ({
      category: row.category,
      state: row.state,
      source: row.source,
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }

  /** Sets the stand; returns whether it changed. */
  async set(customerId: string, category: ContactCategory, state: PreferenceState, source: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO contact_preferences (customer_id, category, state, source) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id, category) DO UPDATE SET state = EXCLUDED.state, source = EXCLUDED.source, updated_at = now()
       WHERE contact_preferences.state <> EXCLUDED.state
       RETURNING 1`,
      [customerId, category, state, source],
    );
    return rows.length > 0;
  }

  /** Back to the category's default (survey: allowed; marketing: no consent). */
  async clear(customerId: string, category: ContactCategory): Promise<boolean> {
    const rows = await this.db.query(
      'DELETE FROM contact_preferences WHERE customer_id = $1 AND category = $2 RETURNING 1',
      [customerId, category],
    );
    return rows.length > 0;
  }

  /**
   * Marketing consent as the customer's own systems report it (PUT /v1/customers). A soft opt-in never
   * overrides the customer's opt-out (it ends when the customer objects); explicit consent does, being newer.
   */
  async reportMarketingConsent(
    customerIds: string | string[],
    consent: MarketingConsent,
    source: string,
    db: Queryable = this.db,
  ): Promise<void> {
    // Set-wise, so a bulk import reports a whole batch in one statement.
    const ids = typeof customerIds === 'string' ? [customerIds] : customerIds;
    if (ids.length === 0) return;
    if (consent === 'none') {
      await db.query(
        `DELETE FROM contact_preferences
         WHERE customer_id = ANY($1::text[]) AND category = 'marketing' AND state <> 'opted-out'`,
        [ids],
      );
      return;
    }
    // A soft opt-in never overrides a stand (an opt-out, or consent); granted consent is newer than any stand.
    await db.query(
      `INSERT INTO contact_preferences (customer_id, category, state, source)
       SELECT id, 'marketing', $2, $3 FROM unnest($1::text[]) AS v(id)
       ON CONFLICT (customer_id, category) DO UPDATE SET state = EXCLUDED.state, source = EXCLUDED.source, updated_at = now()
       WHERE contact_preferences.state <> EXCLUDED.state AND EXCLUDED.state = 'granted'`,
      [ids, consent, source],
    );
  }
}
