/**
 * What an SMTP failure means for the message: may it be sent again?
 *
 * - `temporary`: the server did not take the message and said so with a 4xx reply, or the connection
 *   failed before the message was complete; a resend is safe, and Temporal retries with backoff.
 * - `permanent`: the server refused the message with a 5xx reply, or nodemailer refused the address
 *   before talking to the server; a resend gets the same answer, so the send fails and records why.
 * - `uncertain`: the whole message went out but the connection broke (or timed out) before the
 *   server's final reply. The server may have accepted it, so a resend may duplicate it; the
 *   deterministic Message-ID lets the duplicate be recognised downstream.
 */
export type SmtpFailureKind = 'temporary' | 'permanent' | 'uncertain';

export interface SmtpFailure {
  kind: SmtpFailureKind;
  /** a short human line, e.g. "550 5.1.1 mailbox unavailable (RCPT TO)" */
  reason: string;
}

/** The fields nodemailer puts on its errors (see nodemailer/lib/smtp-connection `_formatError`). */
interface NodemailerErrorFields {
  message?: unknown;
  code?: unknown;
  /** the system error code that nodemailer replaced with its own, e.g. ECONNREFUSED under ESOCKET */
  originalCode?: unknown;
  /** the SMTP command in flight: CONN, EHLO, MAIL FROM, RCPT TO, DATA, API (refused before sending) */
  command?: unknown;
  responseCode?: unknown;
  /** the server's reply, e.g. "550 5.1.1 <a@b>: mailbox unavailable" */
  response?: unknown;
  /** which timeout fired: CONNECT_TIMEOUT, GREETING_TIMEOUT, SOCKET_TIMEOUT, ... */
  timeoutType?: unknown;
  /** set by createSmtpMailer: the whole message had been handed to the server */
  dataSent?: unknown;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined;

/** One line, at most `max` characters: server replies can be multi-line and long. */
const oneLine = (value: string, max = 200): string => {
  const line = value.replace(/\s*\r?\n\s*/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** Nodemailer codes for a message (or address) it refused itself, before any server reply. */
const REFUSED_BEFORE_SENDING = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS']);
/** Login problems are the operator's to fix, not the message's fault: retried until they are fixed. */
const AUTH_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2']);

/**
 * Classifies an error thrown by the Mailer (or a raw nodemailer error). Only errors from
 * createSmtpMailer can be `uncertain`: it alone knows whether the message data had been sent.
 */
export function classifySmtpError(error: unknown): SmtpFailure {
  if (error instanceof SmtpSendError) return { kind: error.kind, reason: error.reason };
  const e: NodemailerErrorFields = typeof error === 'object' && error !== null ? error : { message: String(error) };
  const code = text(e.code);
  const command = text(e.command);
  const response = text(e.response);
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const message = oneLine(text(e.message) ?? 'unknown error');

  // The server answered: its reply decides, also after DATA (a reply to the final "." is definite).
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600) {
    const reason = `${oneLine(response ?? String(responseCode))}${command ? ` (${command})` : ''}`;
    if (code && AUTH_CODES.has(code)) {
      return { kind: 'temporary', reason: `SMTP login failed, check the credentials in SMTP_URL: ${reason}` };
    }
    // 503 "bad sequence of commands" is about the session, not the message (as nodemailer treats it)
    return { kind: responseCode >= 500 && responseCode !== 503 ? 'permanent' : 'temporary', reason };
  }

  const details = [text(e.originalCode) ?? code, text(e.timeoutType), command].filter(Boolean).join(', ');
  const reason = details ? `${message} (${details})` : message;
  if (code && REFUSED_BEFORE_SENDING.has(code)) return { kind: 'permanent', reason };
  if (code && AUTH_CODES.has(code)) {
    return { kind: 'temporary', reason: `SMTP login failed, check the credentials in SMTP_URL: ${reason}` };
  }
  if (e.dataSent === true) {
    return { kind: 'uncertain', reason: `no reply after the message was sent, it may have been delivered: ${reason}` };
  }
  // Connection refused, timeouts, a socket that broke before the message was complete, TLS, DNS:
  // the server cannot have the message, so sending it again is safe.
  return { kind: 'temporary', reason };
}

/**
 * What the Mailer throws when SMTP did not take a message: nodemailer's fields (so code that reads
 * `responseCode` keeps working) plus the classification.
 */
export class SmtpSendError extends Error {
  readonly kind: SmtpFailureKind;
  readonly reason: string;
  readonly code?: string;
  readonly command?: string;
  readonly responseCode?: number;
  readonly response?: string;
  /** the whole message had been handed to the server before the failure */
  readonly dataSent: boolean;

  constructor(cause: unknown, dataSent: boolean) {
    const fields: NodemailerErrorFields = typeof cause === 'object' && cause !== null ? cause : {};
    const { kind, reason } = classifySmtpError({ ...fields, message: (cause as Error)?.message, dataSent });
    const lead = {
      temporary: 'SMTP did not take the message (temporary, will be retried)',
      permanent: 'SMTP refused the message',
      uncertain: 'SMTP may or may not have taken the message',
    }[kind];
    super(`${lead}: ${reason}`, { cause });
    this.name = 'SmtpSendError';
    this.kind = kind;
    this.reason = reason;
    this.code = text(fields.code);
    this.command = text(fields.command);
    this.responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : undefined;
    this.response = text(fields.response);
    this.dataSent = dataSent;
  }
}

/**
 * Whether a refusal says the address itself does not work (a hard bounce), so no further survey or
 * marketing mail should go to it: a 5xx to RCPT TO with an enhanced status 5.1.x (bad mailbox, bad domain),
 * or a bare 550/551/553 there. A 5.7.x policy refusal (spam, relaying) is about the message, not the address.
 */
export function isHardBounce(error: unknown): boolean {
  if (!(error instanceof SmtpSendError) || error.command !== 'RCPT TO' || error.responseCode === undefined)
    return false;
  const enhanced = /\b([245])\.(\d{1,3})\.\d{1,3}\b/.exec(error.response ?? '');
  if (enhanced) return enhanced[1] === '5' && enhanced[2] === '1';
  return [550, 551, 553].includes(error.responseCode);
}
