import { parseEnvConfig, ConfigError } from '../../../../client/config';
import { customerIdFor } from '../../../../client/webhooks/ticket-events';
import { localeFrom, ticketUrlFrom } from '../../../../model/support-webhook';

describe('support webhooks: shared mapping', () => {
  it('maps support-system languages to locales, or leaves them to the default', () => {
    expect(localeFrom('de')).toBe('de');
    expect(localeFrom('en-us')).toBe('en-US');
    expect(localeFrom('pt_BR')).toBe('pt-BR');
    expect(localeFrom('English (United States)')).toBe('en');
    expect(localeFrom('Deutsch')).toBe('de');
    expect(localeFrom('Klingon')).toBeUndefined();
    expect(localeFrom(undefined)).toBeUndefined();
  });

  it('keeps only http(s) ticket links, adding https to scheme-less ones', () => {
    expect(ticketUrlFrom('acme.zendesk.com/agent/tickets/1')).toBe('https://acme.zendesk.com/agent/tickets/1');
    expect(ticketUrlFrom('https://acme.freshdesk.com/a/tickets/2')).toBe('https://acme.freshdesk.com/a/tickets/2');
    expect(ticketUrlFrom('javascript:alert(1)')).toBeUndefined();
    expect(ticketUrlFrom(undefined)).toBeUndefined();
  });

  it('names customers by the support system id, else by a hash of the email (no address in run ids)', () => {
    expect(customerIdFor('zendesk', '900')).toBe('zendesk-900');
    const byEmail = customerIdFor('freshdesk', undefined, 'Bo@Example.com ');
    expect(byEmail).toMatch(/^freshdesk-[0-9a-f]{20}$/);
    expect(byEmail).toBe(customerIdFor('freshdesk', undefined, 'bo@example.com'));
    expect(byEmail).not.toContain('example');
  });
});

describe('support webhook configuration', () => {
  it('defaults WEBHOOK_MAX_AGE to 5 minutes and reads durations', () => {
    expect(parseEnvConfig({}).WEBHOOK_MAX_AGE).toBe(300_000);
    expect(parseEnvConfig({ WEBHOOK_MAX_AGE: '90s' }).WEBHOOK_MAX_AGE).toBe(90_000);
  });

  it('names a bad WEBHOOK_MAX_AGE and a short FRESHDESK_WEBHOOK_SECRET', () => {
    expect(() => parseEnvConfig({ WEBHOOK_MAX_AGE: 'soon' })).toThrow(ConfigError);
    const problems = () => parseEnvConfig({ WEBHOOK_MAX_AGE: 'soon', FRESHDESK_WEBHOOK_SECRET: 'short' });
    expect(problems).toThrow(/WEBHOOK_MAX_AGE: must be a positive duration/);
    expect(problems).toThrow(/FRESHDESK_WEBHOOK_SECRET: must be at least 16 characters/);
  });
});
