import type { Queryable } from './database';

export interface CrmTask {
  key: string;
  /** The run that created it (and waits for it to close). */
  workflowId?: string;
  customerId: string;
  title: string;
  assignee?: string;
  description?: string;
  dueAt: string;
  status: 'open' | 'closed';
  closedAt?: string;
}

interface TaskRow {
  key: string;
  workflow_id: string | null;
  customer_id: string;
  title: string;
  assignee: string | null;
  note: string | null;
  due_at: Date;
  status: 'open' | 'closed';
  closed_at: Date | null;
}

const toTask = (r: TaskRow): CrmTask => ({
  key: r.key,
  workflowId: r.workflow_id ?? undefined,
  customerId: r.customer_id,
  title: r.title,
  assignee: r.assignee ?? undefined,
  description: r.note ?? undefined,
  dueAt: new Date(r.due_at).toISOString(),
  status: r.status,
  closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : undefined,
});

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

  async addTask(task: Omit<CrmTask, 'status' | 'closedAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO crm_tasks (key, workflow_id, customer_id, title, assignee, note, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
      [
        task.key,
        task.workflowId ?? null,
        task.customerId,
        task.title,
        task.assignee ?? null,
        task.description ?? null,
        task.dueAt,
      ],
    );
  }

  /** Closes an open task; returns it, or undefined when there is no such task. `closed` is false if it was closed already. */
  async closeTask(key: string): Promise<{ task: CrmTask; closed: boolean } | undefined> {
    const [row] = await this.db.query<TaskRow>(
      `UPDATE crm_tasks SET status = 'closed', closed_at = now() WHERE key = $1 AND status = 'open' RETURNING *`,
      [key],
    );
    if (row) return { task: toTask(row), closed: true };
    const [existing] = await this.db.query<TaskRow>('SELECT * FROM crm_tasks WHERE key = $1', [key]);
    return existing ? { task: toTask(existing), closed: false } : undefined;
  }

  async listTasks(filter: { customerId?: string; status?: 'open' | 'closed'; limit?: number }): Promise<CrmTask[]> {
    const rows = await this.db.query<TaskRow>(
      `SELECT * FROM crm_tasks WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at DESC LIMIT $3`,
      [filter.customerId ?? null, filter.status ?? null, filter.limit ?? 100],
    );
    return rows.map(toTask);
  }

  async notes(customerId: string): Promise<{ key: string; body: string; createdAt: string }[]> {
    const rows = await this.db.query<{ key: string; body: string; created_at: Date }>(
      'SELECT key, body, created_at FROM crm_notes WHERE customer_id = $1 ORDER BY created_at',
      [customerId],
    );
    return rows.map((r) => ({ key: r.key, body: r.body, createdAt: new Date(r.created_at).toISOString() }));
  }

  async tasks(customerId: string): Promise<CrmTask[]> {
    const rows = await this.db.query<TaskRow>('SELECT * FROM crm_tasks WHERE customer_id = $1 ORDER BY created_at', [
      customerId,
    ]);
    return rows.map(toTask);
  }
}
