import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { InboxStore } from '../store/inbox';

export interface SmtpSink {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * The built-in SMTP server on loopback: the default email transport. It keeps every message it
 * receives in the database, where the admin API (`GET /v1/inbox`) shows them.
 */
export async function startSmtpSink(inbox: InboxStore, port = 0): Promise<SmtpSink> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'Touchpoint SMTP sink',
    async onData(stream, session, callback) {
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = await simpleParser(raw);
        await inbox.add({
          messageId: parsed.messageId,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address).join(', '),
          subject: parsed.subject,
          text: parsed.text,
          html: typeof parsed.html === 'string' ? parsed.html : undefined,
          raw,
        });
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
