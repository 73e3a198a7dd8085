import type { Queryable } from './database';

export interface SendLogEntry {
  key: string;
  workflowId: string;
  customerId: string;
  template: string;
  locale?: string;
  recipient?: string;
  messageId: string;
  status: 'pending' | 'sent' | 'skipped' | 'failed';
  detail?: string;
}

interface SendLogRow {
  key: string;
  workflow_id: string;
  customer_id: string;
  template: string;
  locale: string | null;
  recipient: string | null;
  message_id: string;
  status: SendLogEntry['status'];
  detail: string | null;
}

const toEntry = (row: SendLogRow): SendLogEntry => ({
  key: row.key,
  workflowId: row.workflow_id,
  customerId: row.customer_id,
  template: row.template,
  locale: row.locale ?? undefined,
  recipient: row.recipient ?? undefined,
  messageId: row.message_id,
  status: row.status,
  detail: row.detail ?? undefined,
});

/** One row per send key: written before SMTP is called, completed after, so a retry can tell. */
export class SendLog {
  constructor(private readonly db: Queryable) {}

  /** Claims the key; returns the existing entry when an earlier attempt already claimed it. */
  async claim(entry: Omit<SendLogEntry, 'status' | 'detail'>): Promise<{ entry: SendLogEntry; claimed: boolean }> {
    const inserted = await this.db.query<SendLogRow>(
      `INSERT INTO send_log (key, workflow_id, customer_id, template, locale, recipient, message_id, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') ON CONFLICT (key) DO NOTHING RETURNING *`,
      [
        entry.key,
        entry.workflowId,
        entry.customerId,
        entry.template,
        entry.locale ?? null,
        entry.recipient ?? null,
        entry.messageId,
      ],
    );
    if (inserted[0]) return { entry: toEntry(inserted[0]), claimed: true };
    const [existing] = await this.db.query<SendLogRow>('SELECT * FROM send_log WHERE key = $1', [entry.key]);
    return { entry: toEntry(existing), claimed: false };
  }

  async complete(key: string, status: 'sent' | 'failed', detail?: string): Promise<void> {
    await this.db.query(
      `UPDATE send_log SET status = $2, detail = $3, sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
       WHERE key = $1`,
      [key, status, detail ?? null],
    );
  }

  async forWorkflow(workflowId: string): Promise<SendLogEntry[]> {
    const rows = await this.db.query<SendLogRow>('SELECT * FROM send_log WHERE workflow_id = $1 ORDER BY created_at', [
      workflowId,
    ]);
    return rows.map(toEntry);
  }
}
