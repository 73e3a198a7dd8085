import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import {
  createSmtpMailer,
  smtpMailerOptionsOf,
  type OutgoingMail,
  type SmtpMailer,
} from '../../activities/email/mailer';
import { classifySmtpError, SmtpSendError, type SmtpFailure } from '../../activities/email/smtp-errors';
import { parseEnvConfig } from '../../client/config';
import { freePort } from '../../scripts/server-process';
import { smtpError, startScriptedSmtp, type ScriptedSmtpServer } from '../support/scripted-smtp';

/**
 * The SMTP transport against real SMTP servers on loopback: what each kind of failure is classified
 * as (may the message be sent again?), DKIM that a verifier accepts, pooling and the rate limit option.
 * No Temporal needed.
 */

let counter = 0;
const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  messageId: `<test-${++counter}@example.com>`,
  from: 'Touchpoint <touchpoint@example.com>',
  to: 'ada@example.com',
  subject: 'How did we do?',
  text: 'Tell us.',
  html: '<p>Tell us.</p>',
  ...overrides,
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const track = <T extends { close(): unknown }>(thing: T): T => {
  cleanups.push(() => thing.close());
  return thing;
};
const mailerFor = (url: string, options: Partial<Parameters<typeof createSmtpMailer>[0] & object> = {}): SmtpMailer =>
  track(createSmtpMailer({ url, ...options }));

/** The failure of one send, as classified (fails the test if the send succeeds). */
async function failureOf(mailer: SmtpMailer, message = mail()): Promise<SmtpFailure & { error: SmtpSendError }> {
  try {
    await mailer.send(message);
  } catch (error) {
    expect(error).toBeInstanceOf(SmtpSendError);
    return { ...classifySmtpError(error), error: error as SmtpSendError };
  }
  throw new Error('expected the send to fail');
}

describe('createSmtpMailer against real SMTP servers', () => {
  it('sends a message with its Message-ID and plain headers', async () => {
    const server = track(await startScriptedSmtp());
    const mailer = mailerFor(server.url);
    const result = await mailer.send(
      mail({
        messageId: '<fixed-id@example.com>',
        headers: {
          'List-Unsubscribe': '<https://cx.example.com/u/token>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      }),
    );
    expect(result.accepted).toEqual(['ada@example.com']);
    expect(result.response).toMatch(/^250/);
    const [raw] = server.messages;
    expect(raw).toMatch(/^Message-ID: <fixed-id@example\.com>\r?$/im);
    expect(raw).toMatch(/^List-Unsubscribe: <https:\/\/cx\.example\.com\/u\/token>\r?$/im);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/im);
  });

  it('still takes a bare URL (the built-in sink)', async () => {
    const server = track(await startScriptedSmtp());
    const mailer = track(createSmtpMailer(server.url));
    await mailer.send(mail());
    expect(server.messages).toHaveLength(1);
  });

  it('classifies a 421 to MAIL FROM as temporary', async () => {
    const server = track(
      await startScriptedSmtp({ onMailFrom: (_a, _s, callback) => callback(smtpError('4.3.2 try again later', 421)) }),
    );
    const failure = await failureOf(mailerFor(server.url));
    expect(failure.kind).toBe('temporary');
    expect(failure.reason).toMatch(/^421 .*try again later \(MAIL FROM\)$/);
    expect(failure.error.responseCode).toBe(421);
  });

  it('classifies a 421 to RCPT TO as temporary', async () => {
    const server = track(
      await startScriptedSmtp({
        onRcptTo: (_a, _s, callback) => callback(smtpError('4.7.0 too many connections', 421)),
      }),
    );
    const failure = await failureOf(mailerFor(server.url));
    expect(failure.kind).toBe('temporary');
    expect(failure.reason).toContain('421');
  });

  it('classifies a 450 (mailbox busy) to RCPT TO as temporary', async () => {
    const server = track(
      await startScriptedSmtp({ onRcptTo: (_a, _s, callback) => callback(smtpError('4.2.1 mailbox busy', 450)) }),
    );
    expect((await failureOf(mailerFor(server.url))).kind).toBe('temporary');
  });

  it('classifies a 550 to RCPT TO as permanent, with the reply as the reason', async () => {
    const server = track(
      await startScriptedSmtp({
        onRcptTo: (_a, _s, callback) => callback(smtpError('5.1.1 mailbox unavailable', 550)),
      }),
    );
    const failure = await failureOf(mailerFor(server.url));
    expect(failure.kind).toBe('permanent');
    expect(failure.reason).toBe('550 5.1.1 mailbox unavailable (RCPT TO)');
    expect(failure.error.responseCode).toBe(550);
    expect(failure.error.message).toBe('SMTP refused the message: 550 5.1.1 mailbox unavailable (RCPT TO)');
    expect(server.messages).toHaveLength(0);
  });

  it('classifies a 554 to the message data as permanent', async () => {
    const server = track(
      await startScriptedSmtp({
        afterData: (_raw, _sockets, callback) => callback(smtpError('5.7.1 rejected as spam', 554)),
      }),
    );
    const failure = await failureOf(mailerFor(server.url));
    expect(failure.kind).toBe('permanent');
    expect(failure.reason).toBe('554 5.7.1 rejected as spam (DATA)');
  });

  it('classifies an invalid address that nodemailer refuses before sending as permanent', async () => {
    const server = track(await startScriptedSmtp());
    const failure = await failureOf(mailerFor(server.url), mail({ to: 'no address here' }));
    expect(failure.kind).toBe('permanent');
    expect(failure.error.code).toBe('EENVELOPE');
    expect(server.messages).toHaveLength(0);
  });

  it('classifies a connection broken after the data, before the reply, as uncertain', async () => {
    const server = track(
      await startScriptedSmtp({
        // the server has the whole message (it may deliver it) but the client never hears back
        afterData: (_raw, sockets) => sockets.forEach((socket) => socket.destroy()),
      }),
    );
    const failure = await failureOf(mailerFor(server.url));
    expect(failure.kind).toBe('uncertain');
    expect(failure.error.dataSent).toBe(true);
    expect(failure.reason).toMatch(/may have been delivered/);
    expect(server.messages).toHaveLength(1); // and the pool did not resend it on its own
  });

  it('classifies no reply within the socket timeout after the data as uncertain', async () => {
    const server = track(await startScriptedSmtp({ afterData: () => undefined }));
    const failure = await failureOf(mailerFor(server.url, { timeouts: { socket: 500 } }));
    expect(failure.kind).toBe('uncertain');
    expect(failure.error.code).toBe('ETIMEDOUT');
  });

  it('classifies a connection broken before the data as temporary', async () => {
    const server: ScriptedSmtpServer = track(
      await startScriptedSmtp({ onRcptTo: () => server.sockets.forEach((socket) => socket.destroy()) }),
    );
    const failure = await failureOf(mailerFor(server.url));
    expect(failure.kind).toBe('temporary');
    expect(failure.error.dataSent).toBe(false);
    expect(server.messages).toHaveLength(0);
  });

  it('classifies a refused connection as temporary', async () => {
    const port = await freePort(); // free, and closed again: nothing listens there
    const failure = await failureOf(mailerFor(`smtp://127.0.0.1:${port}`));
    expect(failure.kind).toBe('temporary');
    expect(failure.reason).toContain('ECONNREFUSED');
  });

  it('classifies a server that never greets as temporary (greeting timeout)', async () => {
    const silent: Server = createServer(() => undefined);
    const sockets = new Set<Socket>();
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          sockets.forEach((socket) => socket.destroy());
          silent.close(() => resolve());
        }),
    );
    const { port } = silent.address() as { port: number };
    const failure = await failureOf(mailerFor(`smtp://127.0.0.1:${port}`, { timeouts: { greeting: 300 } }));
    expect(failure.kind).toBe('temporary');
    expect(failure.reason).toContain('ETIMEDOUT');
  });

  it('reuses pooled connections for many messages', async () => {
    const server = track(await startScriptedSmtp());
    const mailer = mailerFor(server.url, { maxConnections: 2 });
    await Promise.all(Array.from({ length: 6 }, () => mailer.send(mail())));
    for (let i = 0; i < 3; i++) await mailer.send(mail());
    expect(server.messages).toHaveLength(9);
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('replaces a pooled connection that idled past the socket timeout, without an error', async () => {
    const server = track(await startScriptedSmtp());
    const mailer = mailerFor(server.url, { timeouts: { socket: 200 } });
    await mailer.send(mail());
    await new Promise((resolve) => setTimeout(resolve, 600));
    await mailer.send(mail());
    expect(server.messages).toHaveLength(2);
    expect(server.connections).toBe(2);
  });

  it('hands the rate limit (messages per second) and the timeouts to the transport', () => {
    const mailer = mailerFor('smtp://127.0.0.1:1', { rateLimit: 2, maxConnections: 3 });
    const { options } = mailer.transport.transporter as unknown as { options: Record<string, unknown> };
    expect(options).toMatchObject({ pool: true, maxConnections: 3, rateLimit: 2, rateDelta: 1000 });
    for (const timeout of ['connectionTimeout', 'greetingTimeout', 'socketTimeout']) {
      expect(options[timeout]).toBeLessThanOrEqual(30_000);
    }
  });
});

describe('DKIM', () => {
  it('signs List-Unsubscribe and List-Unsubscribe-Post with a key a verifier accepts', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const config = parseEnvConfig({
      SMTP_URL: 'smtp://127.0.0.1:2525',
      DKIM_DOMAIN: 'example.com',
      DKIM_SELECTOR: 'tp2025',
      DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const server = track(await startScriptedSmtp());
    const mailer = track(createSmtpMailer(smtpMailerOptionsOf(config, server.url, { sink: false })));
    await mailer.send(
      mail({
        headers: {
          'List-Unsubscribe': '<https://cx.example.com/u/token>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      }),
    );

    const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    const lookups: string[] = [];
    const resolver = async (name: string, type: string) => {
      lookups.push(`${name} ${type}`);
      if (name === 'tp2025._domainkey.example.com' && type === 'TXT') return [[record]];
      throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
    };
    const result = await dkimVerify(server.messages[0], { resolver });

    expect(lookups).toContain('tp2025._domainkey.example.com TXT');
    expect(result.results).toHaveLength(1);
    const [signature] = result.results;
    expect(signature.status.result).toBe('pass');
    expect(signature.signingDomain).toBe('example.com');
    const signed = /\bh=([^;]+)/
      .exec(/^DKIM-Signature:[^]*?(?=\r?\n\S)/m.exec(server.messages[0])![0].replace(/\r?\n\s+/g, ''))![1]
      .toLowerCase()
      .split(':');
    expect(signed).toEqual(expect.arrayContaining(['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']));
  });

  it('is a failing signature when the message is changed in transit (the check above means something)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const server = track(await startScriptedSmtp());
    const mailer = mailerFor(server.url, {
      dkim: {
        domainName: 'example.com',
        keySelector: 'tp',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    await mailer.send(mail({ headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }));
    const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    const tampered = server.messages[0].replace(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      'List-Unsubscribe-Post: List-Unsubscribe=Other',
    );
    expect(tampered).not.toBe(server.messages[0]);
    const result = await dkimVerify(tampered, { resolver: async () => [[record]] });
    expect(result.results[0].status.result).toBe('fail');
  });
});
