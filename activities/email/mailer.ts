import nodemailer from 'nodemailer';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import { SmtpSendError } from './smtp-errors';

export interface OutgoingMail {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  html?: string;
  text?: string;
  /** plain headers, e.g. `List-Unsubscribe: <https://…>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` */
  headers?: Record<string, string>;
}

/** The narrow port the send activity uses: hand a message to SMTP. */
export interface Mailer {
  /** Resolves once the server accepted the message; rejects with an SmtpSendError otherwise. */
  send(mail: OutgoingMail): Promise<{ accepted: string[]; response: string }>;
  close(): void;
}

export interface DkimOptions {
  /** the d= domain, e.g. example.com (its DNS has `<keySelector>._domainkey.<domainName>` TXT) */
  domainName: string;
  keySelector: string;
  /** PEM of an RSA private key */
  privateKey: string;
}

export interface SmtpMailerOptions {
  /** smtp:// or smtps:// URL, credentials included */
  url: string;
  /** most connections open at once; default 5 */
  maxConnections?: number;
  /** most messages handed to the server per second; unset or 0: no limit */
  rateLimit?: number;
  /** sign every message; unset: unsigned */
  dkim?: DkimOptions;
  /** in milliseconds; the defaults stay well below the send activity's 1-minute timeout */
  timeouts?: { connection?: number; greeting?: number; socket?: number };
}

/** The mailer plus its nodemailer transport (for diagnostics and tests; senders use the port). */
export interface SmtpMailer extends Mailer {
  readonly transport: Transporter;
}

/**
 * nodemailer's default DKIM header list (dkim/sign.js, "all listed fields from RFC4871 #5.5") plus
 * List-Unsubscribe-Post: RFC 8058 requires the signature to cover both unsubscribe headers, and
 * passing `headerFieldNames` replaces the default list, so the defaults are repeated here.
 */
export const DKIM_HEADER_FIELD_NAMES = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'Content-ID',
  'Content-Description',
  'Resent-Date',
  'Resent-From',
  'Resent-Sender',
  'Resent-To',
  'Resent-Cc',
  'Resent-Message-ID',
  'In-Reply-To',
  'References',
  'List-Id',
  'List-Help',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'List-Subscribe',
  'List-Post',
  'List-Owner',
  'List-Archive',
  'OTP-Token',
].join(':');

const DEFAULT_TIMEOUTS = { connection: 10_000, greeting: 10_000, socket: 20_000 };

/** The nodemailer pool options for a mailer; pure, so the mapping is testable without a server. */
export function smtpTransportOptions(options: SmtpMailerOptions): SMTPPoolOptions & { pool: true } {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  return {
    pool: true,
    url: options.url,
    maxConnections: options.maxConnections ?? 5,
    // nodemailer counts messages per rateDelta ms; 0 would mean "no limit" to it as well
    ...(options.rateLimit ? { rateLimit: options.rateLimit, rateDelta: 1000 } : {}),
    connectionTimeout: timeouts.connection,
    greetingTimeout: timeouts.greeting,
    socketTimeout: timeouts.socket,
    // messages are rendered templates: nothing may pull content from a file path or a URL
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(options.dkim ? { dkim: { ...options.dkim, headerFieldNames: DKIM_HEADER_FIELD_NAMES } } : {}),
  };
}

/**
 * The mailer options the configuration asks for. The built-in sink gets no rate limit (it is the
 * loopback inbox, tests send through it in bursts) but does get DKIM, so signed mail can be checked there.
 */
export function smtpMailerOptionsOf(
  config: {
    SMTP_MAX_CONNECTIONS: number;
    SMTP_RATE_LIMIT: number;
    DKIM_DOMAIN?: string;
    DKIM_SELECTOR?: string;
    DKIM_PRIVATE_KEY?: string;
  },
  url: string,
  target: { sink: boolean },
): SmtpMailerOptions {
  const { DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY } = config;
  return {
    url,
    maxConnections: config.SMTP_MAX_CONNECTIONS,
    rateLimit: target.sink ? undefined : config.SMTP_RATE_LIMIT,
    // parseEnvConfig has checked that the three come together
    dkim:
      DKIM_DOMAIN && DKIM_SELECTOR && DKIM_PRIVATE_KEY
        ? { domainName: DKIM_DOMAIN, keySelector: DKIM_SELECTOR, privateKey: DKIM_PRIVATE_KEY }
        : undefined,
  };
}

/** Per send: has the whole message been handed to the connection? (see the 'stream' plugin below) */
interface Delivery {
  dataSent: boolean;
}
const DELIVERY = 'touchpointDelivery';

/**
 * A pooled SMTP mailer. A string is the URL alone (the built-in sink needs nothing else).
 * Failures reject with an SmtpSendError that says whether a resend is safe (see smtp-errors.ts).
 */
export function createSmtpMailer(options: SmtpMailerOptions | string): SmtpMailer {
  const transport: Transporter = nodemailer.createTransport(
    smtpTransportOptions(typeof options === 'string' ? { url: options } : options),
  );
  // nodemailer's errors do not say whether the connection broke before or after the message data
  // went out, and only "after" can duplicate a message. The pool reads the message through
  // createReadStream() once it may send it (after the server's 354); that stream ending means the
  // whole message, and with it the terminating ".", was handed to the connection.
  transport.use('stream', (mail, done) => {
    const delivery = (mail.data as Record<string, unknown>)[DELIVERY] as Delivery | undefined;
    if (delivery) {
      const message = mail.message;
      const createReadStream = message.createReadStream.bind(message);
      message.createReadStream = (streamOptions) => {
        const stream = createReadStream(streamOptions);
        stream.once('end', () => (delivery.dataSent = true));
        return stream;
      };
    }
    done();
  });
  return {
    transport,
    async send(mail) {
      const delivery: Delivery = { dataSent: false };
      const data: SendMailOptions & { [DELIVERY]: Delivery } = {
        messageId: mail.messageId,
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        // a fresh object: nodemailer adds its defaults to the headers object it is given
        headers: { ...mail.headers },
        [DELIVERY]: delivery,
      };
      try {
        const info = await transport.sendMail(data);
        return { accepted: (info.accepted ?? []).map(String), response: info.response ?? '' };
      } catch (error) {
        throw new SmtpSendError(error, delivery.dataSent);
      }
    },
    close: () => transport.close(),
  };
}
