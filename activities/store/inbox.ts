import type { Queryable } from './database';

export interface InboxMessage {
  id: number;
  messageId?: string;
  from?: string;
  to: string;
  subject?: string;
  text?: string;
  html?: string;
  receivedAt: string;
}

interface InboxRow {
  id: string;
  message_id: string | null;
  mail_from: string | null;
  rcpt_to: string;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  received_at: Date;
}

const toMessage = (row: InboxRow): InboxMessage => ({
  id: Number(row.id),
  messageId: row.message_id ?? undefined,
  from: row.mail_from ?? undefined,
  to: row.rcpt_to,
  subject: row.subject ?? undefined,
  text: row.text_body ?? undefined,
  html: row.html_body ?? undefined,
  receivedAt: new Date(row.received_at).toISOString(),
});

/** What the built-in SMTP sink received. */
export class InboxStore {
  constructor(private readonly db: Queryable) {}

  async add(message: Omit<InboxMessage, 'id' | 'receivedAt'> & { raw: string }): Promise<number> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO inbox_messages (message_id, mail_from, rcpt_to, subject, text_body, html_body, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        message.messageId ?? null,
        message.from ?? null,
        message.to,
        message.subject ?? null,
        message.text ?? null,
        message.html ?? null,
        message.raw,
      ],
    );
    return Number(row.id);
  }

  /** Newest first; `to` filters by recipient. */
  async list(options: { to?: string; limit?: number } = {}): Promise<InboxMessage[]> {
    const rows = await this.db.query<InboxRow>(
      `SELECT id, message_id, mail_from, rcpt_to, subject, text_body, html_body, received_at FROM inbox_messages
       WHERE ($1::text IS NULL OR rcpt_to ILIKE '%' || $1 || '%') ORDER BY id DESC LIMIT $2`,
      [options.to ?? null, options.limit ?? 50],
    );
    return rows.map(toMessage);
  }

  /** The message as it arrived (headers and MIME parts), for checking headers such as List-Unsubscribe or DKIM. */
  async raw(id: number): Promise<string | undefined> {
    const [row] = await this.db.query<{ raw: string }>('SELECT raw FROM inbox_messages WHERE id = $1', [id]);
    return row?.raw;
  }

  async get(id: number): Promise<InboxMessage | undefined> {
    const [row] = await this.db.query<InboxRow>('SELECT * FROM inbox_messages WHERE id = $1', [id]);
    return row ? toMessage(row) : undefined;
  }
}
