import type { ContactCategory } from '../../model/contact-policy';
import type { Queryable } from './database';

/**
 * - sending: claimed, handed to SMTP (or about to be); found on a retry, it means an attempt stopped
 *   mid-way and the message may have gone out
 * - sent: SMTP accepted it
 * - retry: SMTP refused it for now (4xx, no connection): the next attempt sends again
 * - failed: SMTP refused it for good (5xx, bad address)
 * - unconfirmed: a retry found it `sending` and did not send again, so as not to send it twice
 * - withdrawn: it was to be retried, but the contact policy no longer allows it (e.g. unsubscribed meanwhile)
 */
export type SendStatus = 'sending' | 'sent' | 'retry' | 'failed' | 'unconfirmed' | 'withdrawn';

export interface SendLogEntry {
  key: string;
  workflowId: string;
  customerId: string;
  category: ContactCategory;
  template: string;
  locale?: string;
  recipient?: string;
  messageId: string;
  status: SendStatus;
  detail?: string;
  decidedAt: string;
}

interface SendLogRow {
  key: string;
  workflow_id: string;
  customer_id: string;
  category: ContactCategory;
  template: string;
  locale: string | null;
  recipient: string | null;
  message_id: string;
  status: SendStatus;
  detail: string | null;
  decided_at: Date;
}

const toEntry = (row: SendLogRow): SendLogEntry => ({
  key: row.key,
  workflowId: row.workflow_id,
  customerId: row.customer_id,
  category: row.category,
  template: row.template,
  locale: row.locale ?? undefined,
  recipient: row.recipient ?? undefined,
  messageId: row.message_id,
  status: row.status,
  detail: row.detail ?? undefined,
  decidedAt: new Date(row.decided_at).toISOString(),
});

/** The statuses that count against caps: every send that went, may have gone, or is still going. */
const COUNTED = `('sending', 'sent', 'retry', 'unconfirmed')`;

/** One row per send key (run + step): claimed before SMTP is called, completed after, so a retry can tell. */
export class SendLog {
  constructor(private readonly db: Queryable) {}

  async get(key: string): Promise<SendLogEntry | undefined> {
    const [row] = await this.db.query<SendLogRow>('SELECT * FROM send_log WHERE key = $1', [key]);
    return row ? toEntry(row) : undefined;
  }

  /** Claims the key for sending now (a new row, or one whose last attempt is to be retried). */
  async claim(entry: Omit<SendLogEntry, 'status' | 'detail'>): Promise<void> {
    await this.db.query(
      `INSERT INTO send_log (key, workflow_id, customer_id, category, template, locale, recipient, message_id, status, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sending', $9)
       ON CONFLICT (key) DO UPDATE SET status = 'sending', detail = NULL, recipient = EXCLUDED.recipient,
         locale = EXCLUDED.locale, decided_at = EXCLUDED.decided_at`,
      [
        entry.key,
        entry.workflowId,
        entry.customerId,
        entry.category,
        entry.template,
        entry.locale ?? null,
        entry.recipient ?? null,
        entry.messageId,
        entry.decidedAt,
      ],
    );
  }

  async complete(key: string, status: Exclude<SendStatus, 'sending'>, detail?: string): Promise<void> {
    await this.db.query(
      `UPDATE send_log SET status = $2, detail = $3, sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
       WHERE key = $1`,
      [key, status, detail ?? null],
    );
  }

  /** Messages of a category to the customer decided after `since`, other than `exceptKey`. */
  async countRecent(customerId: string, category: ContactCategory, since: Date, exceptKey: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM send_log WHERE customer_id = $1 AND category = $2 AND decided_at > $3
         AND key <> $4 AND status IN ${COUNTED}`,
      [customerId, category, since.toISOString(), exceptKey],
    );
    return row.n;
  }

  /** Other runs that sent the customer survey mail after `since`. */
  async countRecentSurveys(customerId: string, since: Date, exceptWorkflowId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(DISTINCT workflow_id)::int AS n FROM send_log WHERE customer_id = $1 AND category = 'survey'
         AND decided_at > $2 AND workflow_id <> $3 AND status IN ${COUNTED}`,
      [customerId, since.toISOString(), exceptWorkflowId],
    );
    return row.n;
  }

  /** Whether this run already sent survey mail (its reminder belongs to the survey already counted). */
  async hasSurveyMail(workflowId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM send_log WHERE workflow_id = $1 AND category = 'survey' AND status IN ${COUNTED} LIMIT 1`,
      [workflowId],
    );
    return rows.length > 0;
  }

  /** The runs of a journey that sent (or tried to send) the customer mail: the ones an unsubscribe link came from. */
  async workflowsOf(customerId: string, journeyId: string): Promise<string[]> {
    const rows = await this.db.query<{ workflow_id: string }>(
      `SELECT DISTINCT workflow_id FROM send_log WHERE customer_id = $1 AND starts_with(workflow_id, $2)`,
      [customerId, `${journeyId}/`],
    );
    return rows.map((row) => row.workflow_id);
  }

  async forWorkflow(workflowId: string): Promise<SendLogEntry[]> {
    const rows = await this.db.query<SendLogRow>('SELECT * FROM send_log WHERE workflow_id = $1 ORDER BY created_at', [
      workflowId,
    ]);
    return rows.map(toEntry);
  }
}
