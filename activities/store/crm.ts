import type { Queryable } from './database';

export interface CrmTask {
  key: string;
  customerId: string;
  title: string;
  assignee?: string;
  dueAt: string;
  status: string;
}

/** The built-in CRM's writes: attributes, notes and tasks, each idempotent. */
export class CrmStore {
  constructor(private readonly db: Queryable) {}

  /** Merges attributes into the customer's record (setting the same values again changes nothing). */
  async updateAttributes(customerId: string, attributes: Record<string, unknown>): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE customers SET attributes = attributes || $2::jsonb, updated_at = now() WHERE id = $1 RETURNING id`,
      [customerId, JSON.stringify(attributes)],
    );
    return rows.length > 0;
  }

  async addNote(key: string, customerId: string, body: string): Promise<void> {
    await this.db.query(
      'INSERT INTO crm_notes (key, customer_id, body) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING',
      [key, customerId, body],
    );
  }

  async addTask(task: Omit<CrmTask, 'status'>): Promise<void> {
    await this.db.query(
      `INSERT INTO crm_tasks (key, customer_id, title, assignee, due_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO NOTHING`,
      [task.key, task.customerId, task.title, task.assignee ?? null, task.dueAt],
    );
  }

  async notes(customerId: string): Promise<{ key: string; body: string; createdAt: string }[]> {
    const rows = await this.db.query<{ key: string; body: string; created_at: Date }>(
      'SELECT key, body, created_at FROM crm_notes WHERE customer_id = $1 ORDER BY created_at',
      [customerId],
    );
    return rows.map((r) => ({ key: r.key, body: r.body, createdAt: new Date(r.created_at).toISOString() }));
  }

  async tasks(customerId: string): Promise<CrmTask[]> {
    const rows = await this.db.query<{
      key: string;
      customer_id: string;
      title: string;
      assignee: string | null;
      due_at: Date;
      status: string;
    }>('SELECT * FROM crm_tasks WHERE customer_id = $1 ORDER BY created_at', [customerId]);
    return rows.map((r) => ({
      key: r.key,
      customerId: r.customer_id,
      title: r.title,
      assignee: r.assignee ?? undefined,
      dueAt: new Date(r.due_at).toISOString(),
      status: r.status,
    }));
  }
}
