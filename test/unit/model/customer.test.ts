import { Customer, CustomerId, CustomerInput } from '../../../model/customer';

const pathsOf = (input: unknown) => CustomerInput.safeParse(input).error?.issues.map((i) => i.path.join('.')) ?? [];

describe('CustomerInput', () => {
  it('fills in locale "en", time zone "UTC" and empty attributes when they are left out', () => {
    expect(CustomerInput.parse({ email: 'anna@example.com' })).toEqual({
      email: 'anna@example.com',
      locale: 'en',
      timeZone: 'UTC',
      attributes: {},
    });
  });

  it('keeps the values it is given', () => {
    const input = {
      email: 'anna@example.com',
      name: 'Anna Schmidt',
      locale: 'de-CH',
      timeZone: 'Europe/Zurich',
      attributes: { plan: 'pro', seats: 3 },
    };
    expect(CustomerInput.parse(input)).toEqual(input);
  });

  it('rejects a bad email address at path "email"', () => {
    expect(pathsOf({ email: 'not-an-email' })).toEqual(['email']);
  });

  it.each(['Mars/Olympus_Mons', 'Berlin', ''])('rejects the unknown time zone %p with the IANA hint', (timeZone) => {
    const result = CustomerInput.safeParse({ email: 'anna@example.com', timeZone });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['timeZone'], message: expect.stringContaining('IANA time zone') }),
    ]);
  });

  it.each(['german', 'd', 'de_CH', 'de-', 'de-C', '1e'])('rejects the malformed locale %p', (locale) => {
    expect(pathsOf({ email: 'anna@example.com', locale })).toEqual(['locale']);
  });

  it.each(['en', 'de', 'gsw', 'de-CH', 'zh-Hant-TW'])('accepts the language tag %p', (locale) => {
    expect(CustomerInput.parse({ email: 'anna@example.com', locale }).locale).toBe(locale);
  });

  it('rejects unknown keys (strict), e.g. a misspelt "timezone"', () => {
    const result = CustomerInput.safeParse({ email: 'anna@example.com', timezone: 'Europe/Berlin' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['timezone'] })]);
  });

  it('rejects an empty name (a missing name is fine, an empty one is not)', () => {
    expect(pathsOf({ email: 'anna@example.com', name: '' })).toEqual(['name']);
  });

  it('reports every problem at once', () => {
    expect(pathsOf({ email: 'nope', locale: '!!', timeZone: 'Nowhere/Land' }).sort()).toEqual(
      ['email', 'locale', 'timeZone'].sort(),
    );
  });
});

describe('CustomerId and Customer', () => {
  it.each(['a/b', 'with space', '', 'x'.repeat(201)])('rejects the customer id %p', (id) => {
    expect(CustomerId.safeParse(id).success).toBe(false);
  });

  it('accepts ids such as e-mail addresses or external keys', () => {
    expect(CustomerId.parse('anna@example.com')).toBe('anna@example.com');
    expect(CustomerId.parse('crm:12345')).toBe('crm:12345');
  });

  it('a stored customer carries id and timestamps on top of the input', () => {
    const parsed = Customer.parse({
      id: 'anna',
      email: 'anna@example.com',
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-01-02T00:00:00Z',
    });
    expect(parsed).toMatchObject({ id: 'anna', locale: 'en', timeZone: 'UTC' });
    expect(Customer.safeParse({ email: 'anna@example.com' }).success).toBe(false);
  });
});
