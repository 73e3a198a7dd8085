import { giftProviderSettingsOf, parseEnvConfig } from '../../../client/config';
import { configError } from '../../support/config';

/** GIFT_PROVIDER and TREMENDOUS_*: which provider orders gifts, and a clear stop when it cannot work. */
describe('gift provider configuration', () => {
  it('defaults to the built-in provider', () => {
    expect(giftProviderSettingsOf(parseEnvConfig({}))).toEqual({ provider: 'builtin' });
  });

  it('tremendous: the sandbox URL, the account balance and a 10 s timeout unless set', () => {
    const config = parseEnvConfig({ GIFT_PROVIDER: 'tremendous', TREMENDOUS_API_KEY: 'TEST_key' });
    expect(giftProviderSettingsOf(config)).toEqual({
      provider: 'tremendous',
      baseUrl: 'https://testflight.tremendous.com',
      apiKey: 'TEST_key',
      fundingSourceId: 'balance',
      campaignId: undefined,
      timeoutMs: 10_000,
    });
  });

  it('tremendous: takes every TREMENDOUS_* variable', () => {
    const config = parseEnvConfig({
      GIFT_PROVIDER: 'tremendous',
      TREMENDOUS_API_URL: 'https://www.tremendous.com',
      TREMENDOUS_API_KEY: 'PROD_key',
      TREMENDOUS_FUNDING_SOURCE_ID: 'GCTHLCMFVYMD',
      TREMENDOUS_CAMPAIGN_ID: 'CAMPAIGN1',
      TREMENDOUS_TIMEOUT: '30s',
    });
    expect(giftProviderSettingsOf(config)).toEqual({
      provider: 'tremendous',
      baseUrl: 'https://www.tremendous.com',
      apiKey: 'PROD_key',
      fundingSourceId: 'GCTHLCMFVYMD',
      campaignId: 'CAMPAIGN1',
      timeoutMs: 30_000,
    });
  });

  it('stops when tremendous has no API key, naming the variable', () => {
    expect(configError({ GIFT_PROVIDER: 'tremendous' }).problems).toEqual([
      { variable: 'TREMENDOUS_API_KEY', message: expect.stringContaining('required with GIFT_PROVIDER=tremendous') },
    ]);
  });

  it('names an unknown provider, a bad URL and a short webhook secret', () => {
    expect(
      configError({ GIFT_PROVIDER: 'giftly', TREMENDOUS_API_URL: 'tremendous.com', GIFT_WEBHOOK_SECRET: 'short' })
        .problems,
    ).toEqual([
      { variable: 'GIFT_PROVIDER', message: expect.stringContaining('builtin') },
      { variable: 'TREMENDOUS_API_URL', message: expect.stringContaining('must be a URL') },
      { variable: 'GIFT_WEBHOOK_SECRET', message: expect.stringContaining('at least 16 characters') },
    ]);
  });
});
