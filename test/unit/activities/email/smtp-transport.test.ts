import {
  DKIM_HEADER_FIELD_NAMES,
  smtpMailerOptionsOf,
  smtpTransportOptions,
} from '../../../../activities/email/mailer';
import { classifySmtpError, isHardBounce, SmtpSendError } from '../../../../activities/email/smtp-errors';

/** An error shaped like nodemailer's (see nodemailer/lib/smtp-connection `_formatError`). */
const nodemailerError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('classifySmtpError', () => {
  it.each([
    [421, 'MAIL FROM', 'temporary'],
    [450, 'RCPT TO', 'temporary'],
    [452, 'RCPT TO', 'temporary'],
    [451, 'DATA', 'temporary'],
    [503, 'DATA', 'temporary'], // bad sequence of commands: the session's fault, not the message's
    [550, 'RCPT TO', 'permanent'],
    [553, 'MAIL FROM', 'permanent'],
    [554, 'DATA', 'permanent'],
  ])('a %i reply to %s is %s', (responseCode, command, kind) => {
    const response = `${responseCode} ${String(responseCode)[0]}.0.0 reply text`;
    const error = nodemailerError('Recipient command failed: ' + response, {
      code: 'EENVELOPE',
      command,
      response,
      responseCode,
    });
    expect(classifySmtpError(error)).toEqual({ kind, reason: `${response} (${command})` });
  });

  it('believes a reply to the data over the fact that the data was sent', () => {
    const error = nodemailerError('Message failed', {
      code: 'EMESSAGE',
      command: 'DATA',
      response: '451 4.3.0 try later',
      responseCode: 451,
      dataSent: true,
    });
    expect(classifySmtpError(error).kind).toBe('temporary');
  });

  it('is uncertain when the connection broke after the data was sent', () => {
    const error = nodemailerError('Connection closed unexpectedly', {
      code: 'ECONNECTION',
      command: 'CONN',
      dataSent: true,
    });
    expect(classifySmtpError(error)).toEqual({
      kind: 'uncertain',
      reason:
        'no reply after the message was sent, it may have been delivered: Connection closed unexpectedly (ECONNECTION, CONN)',
    });
  });

  it.each([
    ['ESOCKET', { originalCode: 'ECONNREFUSED' }, /ECONNREFUSED/],
    ['ETIMEDOUT', { timeoutType: 'GREETING_TIMEOUT' }, /GREETING_TIMEOUT/],
    ['ECONNECTION', {}, /ECONNECTION/],
    ['EDNS', { originalCode: 'ENOTFOUND' }, /ENOTFOUND/],
    ['ETLS', {}, /ETLS/],
  ])('is temporary for %s before the data was sent', (code, fields, reason) => {
    const failure = classifySmtpError(nodemailerError('failed', { code, command: 'CONN', ...fields }));
    expect(failure.kind).toBe('temporary');
    expect(failure.reason).toMatch(reason);
  });

  it('is permanent for an address nodemailer refuses before talking to the server', () => {
    const error = nodemailerError('Invalid recipient "a@"', { code: 'EENVELOPE', command: 'API' });
    expect(classifySmtpError(error)).toEqual({ kind: 'permanent', reason: 'Invalid recipient "a@" (EENVELOPE, API)' });
  });

  it('retries a failed login (the operator fixes SMTP_URL, the sends resume)', () => {
    const error = nodemailerError('Invalid login', {
      code: 'EAUTH',
      command: 'AUTH PLAIN',
      response: '535 5.7.8 Authentication credentials invalid',
      responseCode: 535,
    });
    const failure = classifySmtpError(error);
    expect(failure.kind).toBe('temporary');
    expect(failure.reason).toContain('SMTP_URL');
  });

  it('keeps a long multi-line reply to one short line', () => {
    const response = `550-5.1.1 first line\n550 5.1.1 ${'x'.repeat(400)}`;
    const { reason } = classifySmtpError(
      nodemailerError('failed', { code: 'EENVELOPE', command: 'RCPT TO', response, responseCode: 550 }),
    );
    expect(reason).not.toContain('\n');
    expect(reason.length).toBeLessThanOrEqual(220);
    expect(reason).toMatch(/^550-5\.1\.1 first line 550 5\.1\.1 x+… \(RCPT TO\)$/);
  });

  it('treats anything else as temporary', () => {
    expect(classifySmtpError(new TypeError('boom'))).toEqual({ kind: 'temporary', reason: 'boom' });
    expect(classifySmtpError('a string')).toEqual({ kind: 'temporary', reason: 'a string' });
    expect(classifySmtpError(undefined).kind).toBe('temporary');
  });
});

describe('SmtpSendError', () => {
  it('keeps nodemailer fields, classifies, and explains itself', () => {
    const cause = nodemailerError('Recipient command failed', {
      code: 'EENVELOPE',
      command: 'RCPT TO',
      response: '550 5.1.1 mailbox unavailable',
      responseCode: 550,
    });
    const error = new SmtpSendError(cause, false);
    expect(error).toMatchObject({
      name: 'SmtpSendError',
      kind: 'permanent',
      reason: '550 5.1.1 mailbox unavailable (RCPT TO)',
      code: 'EENVELOPE',
      command: 'RCPT TO',
      responseCode: 550,
      dataSent: false,
      cause,
    });
    expect(error.message).toBe('SMTP refused the message: 550 5.1.1 mailbox unavailable (RCPT TO)');
    expect(classifySmtpError(error)).toEqual({ kind: 'permanent', reason: error.reason });
  });

  it('is uncertain when the mailer saw the data go out', () => {
    const error = new SmtpSendError(nodemailerError('Timeout', { code: 'ETIMEDOUT', command: 'CONN' }), true);
    expect(error.kind).toBe('uncertain');
    expect(error.message).toMatch(/^SMTP may or may not have taken the message: /);
  });
});

describe('smtpTransportOptions', () => {
  it('pools, limits the rate per second, and keeps the timeouts under the activity timeout', () => {
    const options = smtpTransportOptions({ url: 'smtp://mail.example.com', maxConnections: 3, rateLimit: 7 });
    expect(options).toMatchObject({
      pool: true,
      url: 'smtp://mail.example.com',
      maxConnections: 3,
      rateLimit: 7,
      rateDelta: 1000,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    expect(options.connectionTimeout! + options.socketTimeout!).toBeLessThan(60_000);
    expect(options.dkim).toBeUndefined();
  });

  it('sets no rate limit for 0 or unset', () => {
    expect(smtpTransportOptions({ url: 'smtp://x', rateLimit: 0 })).not.toHaveProperty('rateLimit');
    expect(smtpTransportOptions({ url: 'smtp://x' })).not.toHaveProperty('rateLimit');
  });

  it('signs both unsubscribe headers along with the nodemailer defaults', () => {
    const options = smtpTransportOptions({
      url: 'smtp://x',
      dkim: { domainName: 'example.com', keySelector: 'tp', privateKey: 'PEM' },
    });
    expect(options.dkim).toEqual({
      domainName: 'example.com',
      keySelector: 'tp',
      privateKey: 'PEM',
      headerFieldNames: DKIM_HEADER_FIELD_NAMES,
    });
    const fields = DKIM_HEADER_FIELD_NAMES.split(':');
    expect(fields).toEqual(
      expect.arrayContaining(['From', 'To', 'Subject', 'Message-ID', 'List-Unsubscribe', 'List-Unsubscribe-Post']),
    );
  });
});

describe('smtpMailerOptionsOf', () => {
  const config = { SMTP_MAX_CONNECTIONS: 4, SMTP_RATE_LIMIT: 10 };

  it('limits the rate of a real SMTP server but not of the built-in sink', () => {
    expect(smtpMailerOptionsOf(config, 'smtp://mail', { sink: false })).toEqual({
      url: 'smtp://mail',
      maxConnections: 4,
      rateLimit: 10,
      dkim: undefined,
    });
    expect(smtpMailerOptionsOf(config, 'smtp://127.0.0.1:2525', { sink: true }).rateLimit).toBeUndefined();
  });

  it('signs when DKIM is configured', () => {
    const options = smtpMailerOptionsOf(
      { ...config, DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 'tp', DKIM_PRIVATE_KEY: 'PEM' },
      'smtp://mail',
      { sink: false },
    );
    expect(options.dkim).toEqual({ domainName: 'example.com', keySelector: 'tp', privateKey: 'PEM' });
  });
});

describe('isHardBounce', () => {
  const refusal = (command: string, responseCode: number, response: string) =>
    new SmtpSendError(Object.assign(new Error(response), { command, responseCode, response }), false);

  it('is a refused recipient: 5.1.x, or a bare 550/551/553 to RCPT TO', () => {
    expect(isHardBounce(refusal('RCPT TO', 550, '550 5.1.1 <a@example.com>: mailbox unavailable'))).toBe(true);
    expect(isHardBounce(refusal('RCPT TO', 553, '553 5.1.3 bad address syntax'))).toBe(true);
    expect(isHardBounce(refusal('RCPT TO', 550, '550 no such user'))).toBe(true);
  });

  it('is not a policy refusal, a temporary one, or a refusal of the message itself', () => {
    expect(isHardBounce(refusal('RCPT TO', 550, '550 5.7.1 relaying denied'))).toBe(false);
    expect(isHardBounce(refusal('RCPT TO', 450, '450 4.2.1 mailbox busy'))).toBe(false);
    expect(isHardBounce(refusal('DATA', 554, '554 5.7.1 rejected as spam'))).toBe(false);
    expect(isHardBounce(new Error('550 something'))).toBe(false);
  });
});
