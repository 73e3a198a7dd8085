import type { Customer, CustomerInput } from '../../model/customer';
import { ContactPreferences } from './contact-preferences';
import type { Queryable } from './database';

interface CustomerRow {
  id: string;
  email: string;
  name: string | null;
  locale: string;
  time_zone: string;
  attributes: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  email: row.email,
  name: row.name ?? undefined,
  locale: row.locale,
  timeZone: row.time_zone,
  attributes: row.attributes,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** The built-in CRM store's customers. */
export class CustomerStore {
  constructor(private readonly db: Queryable) {}

  /** Creates or replaces the customer (and records the marketing consent it reports); `created` tells which. */
  async upsert(id: string, input: CustomerInput): Promise<{ customer: Customer; created: boolean }> {
    const [row] = await this.db.query<CustomerRow & { inserted: boolean }>(
      `INSERT INTO customers (id, email, name, locale, time_zone, attributes)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, locale = EXCLUDED.locale,
         time_zone = EXCLUDED.time_zone, attributes = EXCLUDED.attributes, updated_at = now()
       RETURNING *, (xmax = 0) AS inserted`,
      [id, input.email, input.name ?? null, input.locale, input.timeZone, JSON.stringify(input.attributes)],
    );
    if (input.consent) {
      await new ContactPreferences(this.db).reportMarketingConsent(id, input.consent.marketing, 'customer-api');
    }
    return { customer: toCustomer(row), created: row.inserted };
  }

  /** How many customers there are (e.g. the churn scan's progress total). */
  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: string }>('SELECT count(*) AS n FROM customers');
    return Number(row.n);
  }

  async get(id: string): Promise<Customer | undefined> {
    const [row] = await this.db.query<CustomerRow>('SELECT * FROM customers WHERE id = $1', [id]);
    return row ? toCustomer(row) : undefined;
  }

  /** The oldest customer with this email (case-insensitive), e.g. to map a support ticket's requester. */
  async findByEmail(email: string): Promise<Customer | undefined> {
    const [row] = await this.db.query<CustomerRow>(
      'SELECT * FROM customers WHERE lower(email) = lower($1) ORDER BY created_at, id LIMIT 1',
      [email.trim()],
    );
    return row ? toCustomer(row) : undefined;
  }

  /**
   * Creates the customer unless the id exists; never changes an existing one (a webhook retry racing
   * itself, or a PUT from your CRM in between, wins). Returns the stored customer and whether it is new.
   */
  async createIfAbsent(
    id: string,
    input: Omit<CustomerInput, 'consent'>,
  ): Promise<{ customer: Customer; created: boolean }> {
    const [inserted] = await this.db.query<CustomerRow>(
      `INSERT INTO customers (id, email, name, locale, time_zone, attributes) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING RETURNING *`,
      [id, input.email, input.name ?? null, input.locale, input.timeZone, JSON.stringify(input.attributes)],
    );
    if (inserted) return { customer: toCustomer(inserted), created: true };
    return { customer: (await this.get(id))!, created: false };
  }
}
