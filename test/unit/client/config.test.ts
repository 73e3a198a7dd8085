import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { churnScanSettingsOf, contactPolicyOf, parseEnvConfig } from '../../../client/config';
import { configError } from '../../support/config';
import { DEFAULT_CONTACT_POLICY } from '../../../model/contact-policy';

const SECRET = 'x'.repeat(32);

describe('parseEnvConfig', () => {
  it('uses the embedded defaults for an empty environment', () => {
    expect(parseEnvConfig({})).toEqual({
      PORT: 3000,
      DATA_DIR: '.data',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'touchpoint',
      TEMPORAL_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
      SMTP_SINK_PORT: 2525,
      MAIL_FROM: 'Touchpoint <touchpoint@localhost>',
      COMPANY_NAME: 'Touchpoint',
      SMTP_MAX_CONNECTIONS: 5,
      SMTP_RATE_LIMIT: 10,
      WEBHOOK_MAX_AGE: 300_000,
      IMPORT_IDLE_TIMEOUT: 60_000,
      GIFT_PROVIDER: 'builtin',
      TREMENDOUS_API_URL: 'https://testflight.tremendous.com',
      TREMENDOUS_FUNDING_SOURCE_ID: 'balance',
      TREMENDOUS_TIMEOUT: 10_000,
      MILESTONE_ANNIVERSARY_GRACE_DAYS: 7,
      CHURN_SCAN_SCHEDULE: '0 3 * * *',
      CHURN_SCAN_TIME_ZONE: 'UTC',
      CHURN_RISK_THRESHOLD: 0.7,
      CHURN_SCAN_PERIOD: 'month',
      CHURN_SCAN_PAGE_SIZE: 500,
      CHURN_REENROL_AFTER_DAYS: 30,
    });
  });

  it('reads the churn scan settings and names a bad one', () => {
    const config = parseEnvConfig({
      CHURN_SCAN_SCHEDULE: '30 4 * * 1',
      CHURN_SCAN_TIME_ZONE: 'Europe/Berlin',
      CHURN_RISK_THRESHOLD: '0.65',
      CHURN_SCAN_PERIOD: 'week',
    });
    expect(churnScanSettingsOf(config)).toEqual({
      threshold: 0.65,
      period: 'week',
      pageSize: 500,
      reenrolAfterDays: 30,
    });
    expect(config.CHURN_SCAN_SCHEDULE).toBe('30 4 * * 1');
    expect(parseEnvConfig({ CHURN_SCAN_SCHEDULE: 'off' }).CHURN_SCAN_SCHEDULE).toBe('off');
    expect(() => parseEnvConfig({ CHURN_SCAN_SCHEDULE: 'daily', CHURN_RISK_THRESHOLD: '1.5' })).toThrow(
      /CHURN_SCAN_SCHEDULE: must be a cron expression with five fields[\s\S]*CHURN_RISK_THRESHOLD: must be a number from 0 to 1/,
    );
  });

  it('treats empty strings as unset', () => {
    const config = parseEnvConfig({ PORT: '', DATA_DIR: '', SMTP_URL: '', DATABASE_URL: '', TEMPORAL_ADDRESS: '' });
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('.data');
    expect(config.SMTP_URL).toBeUndefined();
    // An empty DATABASE_URL is unset, so no TOUCHPOINT_SECRET is needed.
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('ignores variables it does not know (a real environment has many)', () => {
    expect(parseEnvConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  it('reads set values, coercing ports to numbers', () => {
    const config = parseEnvConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://cx.example.com',
      TEMPORAL_ADDRESS: 'temporal.example.com:7233',
      SMTP_URL: 'smtps://user:pw@mail.example.com:465',
      DATABASE_URL: 'postgresql://u:p@db:5432/touchpoint',
      TOUCHPOINT_SECRET: SECRET,
    });
    expect(config).toMatchObject({
      PORT: 8080,
      PUBLIC_URL: 'https://cx.example.com',
      TEMPORAL_ADDRESS: 'temporal.example.com:7233',
      SMTP_URL: 'smtps://user:pw@mail.example.com:465',
      DATABASE_URL: 'postgresql://u:p@db:5432/touchpoint',
      TOUCHPOINT_SECRET: SECRET,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['PORT', '0x50'], // z.coerce.number would read hex and exponents as ports
    ['PORT', '1e3'],
    ['TEMPORAL_UI_PORT', 'eighty'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['SMTP_URL', 'mail.example.com:25'],
    ['DATABASE_URL', 'mysql://db:3306/x'],
    ['DATABASE_URL', 'not a url'],
    ['TEMPORAL_ADDRESS', 'temporal.example.com'],
    ['TEMPORAL_ADDRESS', 'http://temporal:7233'],
    ['TEMPORAL_ADDRESS', 'temporal:port'],
    ['PUBLIC_URL', 'ftp://cx.example.com'],
    ['SMTP_MAX_CONNECTIONS', '0'],
    ['SMTP_MAX_CONNECTIONS', 'five'],
    ['SMTP_MAX_CONNECTIONS', '2.5'],
    ['SMTP_RATE_LIMIT', '-1'],
    ['SMTP_RATE_LIMIT', '10/s'],
    ['DKIM_DOMAIN', 'not a domain'],
    ['DKIM_DOMAIN', 'https://example.com'],
    ['DKIM_SELECTOR', 'tp key'],
    ['DKIM_SELECTOR', '-tp'],
  ])('rejects %s=%p with a ConfigError naming the variable', (variable, value) => {
    // TOUCHPOINT_SECRET is set so a bad DATABASE_URL is reported for itself.
    const error = configError({ [variable]: value, TOUCHPOINT_SECRET: SECRET });
    expect(error.problems).toEqual([{ variable, message: expect.any(String) }]);
    expect(error.message).toContain(`  ${variable}: `);
  });

  it('explains what a URL variable must look like', () => {
    const error = configError({ SMTP_URL: 'http://mail.example.com' });
    expect(error.message).toContain('SMTP_URL: must be a URL starting with smtp:// or smtps://');
  });

  it('reports every bad variable at once, in the plural', () => {
    const error = configError({ PORT: 'x', SMTP_URL: 'nope', TEMPORAL_ADDRESS: 'nope' });
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['PORT', 'SMTP_URL', 'TEMPORAL_ADDRESS']);
    expect(error.message).toMatch(/has problems:/);
  });

  it('says "a problem" for a single problem', () => {
    expect(configError({ PORT: 'x' }).message).toMatch(/has a problem:\n {2}PORT: /);
  });

  it('requires TOUCHPOINT_SECRET with DATABASE_URL', () => {
    const error = configError({ DATABASE_URL: 'postgres://u:p@db:5432/touchpoint' });
    expect(error.problems).toEqual([
      { variable: 'TOUCHPOINT_SECRET', message: expect.stringContaining('DATABASE_URL') },
    ]);
    expect(error.message).toContain('TOUCHPOINT_SECRET: is required with DATABASE_URL');
  });

  it('requires TOUCHPOINT_SECRET to be at least 32 characters', () => {
    const error = configError({ TOUCHPOINT_SECRET: 'x'.repeat(31) });
    expect(error.problems).toEqual([{ variable: 'TOUCHPOINT_SECRET', message: expect.stringContaining('32') }]);
    expect(parseEnvConfig({ TOUCHPOINT_SECRET: SECRET }).TOUCHPOINT_SECRET).toBe(SECRET);
  });
});

describe('contactPolicyOf (the contact policy from the environment)', () => {
  it('defaults: marketing ≤ 2 per 7 days, one survey per 30 days, quiet hours 21:00–08:00', () => {
    expect(contactPolicyOf(parseEnvConfig({}))).toEqual(DEFAULT_CONTACT_POLICY);
  });

  it('takes each part from its variable, and "off" switches it off', () => {
    const policy = contactPolicyOf(
      parseEnvConfig({
        MARKETING_CAP: '1/1d',
        SURVEY_CAP: '3 / 7d',
        SURVEY_THROTTLE: 'off',
        QUIET_HOURS: '22:30-07:15',
      }),
    );
    expect(policy).toEqual({
      caps: { marketing: { max: 1, per: '1d' }, survey: { max: 3, per: '7d' } },
      quietHours: { start: '22:30', end: '07:15', categories: ['survey', 'marketing'] },
    });
    const none = contactPolicyOf(parseEnvConfig({ MARKETING_CAP: 'off', QUIET_HOURS: 'off' }));
    expect(none.caps.marketing).toBeUndefined();
    expect(none.quietHours).toBeUndefined();
  });

  it('names the variable and the expected form when one is malformed', () => {
    const error = configError({ MARKETING_CAP: 'two per week', QUIET_HOURS: '25:00-08:00', SURVEY_THROTTLE: '0/30d' });
    expect(error.problems).toEqual([
      { variable: 'MARKETING_CAP', message: 'must be "<max>/<duration>" such as 2/7d, or "off"' },
      { variable: 'SURVEY_THROTTLE', message: expect.stringContaining('must be "<max>/<duration>"') },
      { variable: 'QUIET_HOURS', message: 'must be "HH:MM-HH:MM" such as 21:00-08:00, or "off"' },
    ]);
  });
});

describe('parseEnvConfig: SMTP transport and DKIM', () => {
  const rsaKey = (modulusLength: number) =>
    generateKeyPairSync('rsa', { modulusLength }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const PEM = rsaKey(1024); // the smallest key receivers accept: quick to generate
  const dkim = { DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 'tp2025', DKIM_PRIVATE_KEY: PEM };

  it('reads the pool size and the rate limit (messages per second, 0 = none)', () => {
    expect(parseEnvConfig({ SMTP_MAX_CONNECTIONS: '20', SMTP_RATE_LIMIT: '0' })).toMatchObject({
      SMTP_MAX_CONNECTIONS: 20,
      SMTP_RATE_LIMIT: 0,
    });
  });

  it('reads DKIM with the key as PEM text', () => {
    expect(parseEnvConfig(dkim)).toMatchObject(dkim);
  });

  it('reads a PEM whose line breaks were written as \\n (one-line env files)', () => {
    const oneLine = PEM.trim().replace(/\n/g, '\\n');
    expect(oneLine).not.toContain('\n');
    expect(parseEnvConfig({ ...dkim, DKIM_PRIVATE_KEY: oneLine }).DKIM_PRIVATE_KEY).toBe(PEM.trim());
  });

  it('reads the key from a file when given a path', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'touchpoint-dkim-')), 'dkim.pem');
    writeFileSync(file, PEM);
    expect(parseEnvConfig({ ...dkim, DKIM_PRIVATE_KEY: file }).DKIM_PRIVATE_KEY).toBe(PEM);
  });

  it.each([
    [
      'a missing file',
      '/nonexistent/dkim.pem',
      /nor the path of a readable PEM file: "\/nonexistent\/dkim.pem" \(ENOENT\)/,
    ],
    [
      'a PEM that is not a key',
      '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----',
      /not an unencrypted PEM private key/,
    ],
    [
      'an encrypted key',
      generateKeyPairSync('rsa', { modulusLength: 1024 })
        .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
        .toString(),
      /not an unencrypted PEM private key/,
    ],
    [
      'a public key',
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      /not an unencrypted PEM private key/,
    ],
    [
      'an Ed25519 key',
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      /of type ed25519, DKIM signing needs an RSA key/,
    ],
    ['a 512-bit RSA key', rsaKey(512), /512-bit RSA key, receivers ignore DKIM keys under 1024 bits/],
  ])('rejects %s as DKIM_PRIVATE_KEY, saying how to make a good one', (_what, value, message) => {
    const error = configError({ ...dkim, DKIM_PRIVATE_KEY: value });
    expect(error.problems).toEqual([{ variable: 'DKIM_PRIVATE_KEY', message: expect.stringMatching(message) }]);
    if (!/readable PEM file/.test(error.message)) expect(error.message).toContain('openssl genpkey');
  });

  it('does not echo a key pasted without its PEM lines', () => {
    const body = PEM.split('\n').slice(1, -2).join('');
    const error = configError({ ...dkim, DKIM_PRIVATE_KEY: body });
    expect(error.message).toContain(`a ${body.length}-character value`);
    expect(error.message).not.toContain(body.slice(0, 40));
  });

  it('needs all of DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY or none, naming the missing ones', () => {
    const error = configError({ DKIM_DOMAIN: 'example.com' });
    expect(error.problems.map((p) => p.variable)).toEqual(['DKIM_SELECTOR', 'DKIM_PRIVATE_KEY']);
    expect(error.message).toContain('DKIM_SELECTOR: is required with DKIM_DOMAIN');
    const onlyKey = configError({ DKIM_SELECTOR: 'tp', DKIM_PRIVATE_KEY: PEM });
    expect(onlyKey.problems).toEqual([
      {
        variable: 'DKIM_DOMAIN',
        message: expect.stringContaining('required with DKIM_SELECTOR and DKIM_PRIVATE_KEY'),
      },
    ]);
    expect(parseEnvConfig({}).DKIM_DOMAIN).toBeUndefined();
  });
});
