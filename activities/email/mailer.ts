import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

export interface OutgoingMail {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
}

/** The narrow port the send activity uses: hand a message to SMTP. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ accepted: string[]; response: string }>;
  close(): void;
}

export function createSmtpMailer(smtpUrl: string): Mailer {
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      const info = await transport.sendMail(mail);
      return { accepted: (info.accepted ?? []).map(String), response: info.response ?? '' };
    },
    close: () => transport.close(),
  };
}
