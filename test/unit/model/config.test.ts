import { ConfigError, parseEnvConfig } from '../../../model/config';

const SECRET = 'x'.repeat(32);

/** The ConfigError parseEnvConfig throws for an environment (fails the test if it does not throw one). */
const configError = (env: Record<string, string | undefined>): ConfigError => {
  try {
    parseEnvConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

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
    });
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
