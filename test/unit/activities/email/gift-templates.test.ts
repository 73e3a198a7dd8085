import path from 'node:path';
import { messageData } from '../../../../activities/email/message-data';
import { TemplateLibrary } from '../../../../activities/email/templates';
import type { GiftData } from '../../../../model/gift';

const library = new TemplateLibrary(path.resolve(__dirname, '../../../../templates'), {
  publicUrl: 'https://cx.example.com',
});

const customer = (locale: string, name = 'Anna') => ({
  id: 'anna',
  name,
  email: 'anna@example.com',
  locale,
  timeZone: 'Europe/Berlin',
  attributes: { tier: 'gold' },
});
const render = (template: string, locale: string, gift: Record<string, unknown>) =>
  library.renderEmail(
    template,
    locale,
    messageData(
      customer(locale),
      {
        company: { name: 'Acme GmbH', address: 'Hauptstraße 1, 10115 Berlin' },
        links: { unsubscribe: 'https://cx.example.com/u/t', preferences: 'https://cx.example.com/u/t/preferences' },
      },
      { gift },
    ),
  );

const voucher: GiftData = {
  key: 'thank-you-gift/anna/fifth-order#gift',
  campaign: 'thank-you',
  productId: 'voucher-eur',
  kind: 'digital',
  name: '25-€-Gutschein',
  value: 25,
  currency: 'EUR',
  cost: 25,
  costCurrency: 'EUR',
  code: 'TPG-7K2M-Q9XW',
};

describe('thank-you-gift', () => {
  it('a German customer gets German text, the value as 25,00 € and the code', async () => {
    const mail = await render('thank-you-gift', 'de', voucher);
    expect(mail.subject).toBe('Danke, Anna: ein Geschenk für Sie');
    expect(mail.text).toContain(
      'danke für Ihre Treue. Als kleines Dankeschön schenken wir Ihnen 25-€-Gutschein – ein Geschenk im Wert von 25,00\u00a0€. Ihr Code:\n\n    TPG-7K2M-Q9XW\n',
    );
    expect(mail.html).toContain('25,00\u00a0€');
    expect(mail.html).toContain('TPG-7K2M-Q9XW');
    expect(mail.text).not.toContain('thank you');
  });

  it('an English customer gets English text with the value formatted in English', async () => {
    const mail = await render('thank-you-gift', 'en', { ...voucher, name: '25 € voucher' });
    expect(mail.subject).toBe('Thank you, Anna: a gift for you');
    expect(mail.text).toContain(
      'As a small thank-you, here is 25 € voucher, a gift worth €25.00. Your code:\n\n    TPG-7K2M-Q9XW\n',
    );
    expect(mail.text).not.toContain('Treue');
  });

  it('a reward link (no code) becomes a button and a plain link', async () => {
    const withoutCode = { ...voucher, code: undefined };
    const mail = await render('thank-you-gift', 'en', {
      ...withoutCode,
      name: '$25 voucher',
      currency: 'USD',
      link: 'https://rewards.example.com/r/abc',
    });
    expect(mail.text).toContain(
      'here is $25 voucher, a gift worth $25.00.\n\nRedeem your gift: https://rewards.example.com/r/abc',
    );
    expect(mail.html).toContain('href="https://rewards.example.com/r/abc"');
    expect(mail.text).not.toContain('Your code');
  });

  it('a physical gift says what ships, and where when the address is known', async () => {
    const box = {
      key: 'k',
      campaign: 'thank-you',
      productId: 'gift-box-dach',
      kind: 'physical',
      name: 'Touchpoint-Geschenkbox',
      description: 'Kaffee, Schokolade und eine handgeschriebene Karte.',
      value: 40,
      currency: 'EUR',
    };
    const unknownAddress = await render('thank-you-gift', 'de', box);
    expect(unknownAddress.text).toContain('schicken wir Ihnen Touchpoint-Geschenkbox (im Wert von 40,00\u00a0€).');
    expect(unknownAddress.text).toContain('Es geht an die Adresse, die Sie uns bestätigt haben.');
    expect(unknownAddress.text).not.toContain('Ihr Code');

    const shipped = await render('thank-you-gift', 'en', {
      ...box,
      name: 'Touchpoint gift box',
      shippingAddress: {
        name: 'Anna Schmidt',
        line1: 'Hauptstraße 5',
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
      },
    });
    expect(shipped.text).toContain('It ships to:\n    Anna Schmidt\n    Hauptstraße 5\n    10115 Berlin\n    DE\n');
    expect(shipped.html).toContain('Anna Schmidt<br>Hauptstraße 5<br>10115 Berlin<br>DE');
  });

  it('still renders a fixed voucher of a run started before the gift catalog (code, value, currency only)', async () => {
    const mail = await render('thank-you-gift', 'en', {
      code: 'ABCD-EFGH-JKLM',
      value: 25,
      currency: 'EUR',
      campaign: 'thank-you',
    });
    expect(mail.text).toContain('here is a gift worth €25.00. Your code:\n\n    ABCD-EFGH-JKLM\n');
  });
});

describe('gift-address-request', () => {
  const request = {
    ...voucher,
    kind: 'physical',
    productId: 'gift-box-dach',
    name: 'Touchpoint-Geschenkbox',
    code: undefined,
    addressLink: 'https://cx.example.com/g/token123',
    confirmBy: '2026-12-07T10:00:00.000Z',
  };

  it('asks in German for the address by the confirmation date, with the signed link', async () => {
    const mail = await render('gift-address-request', 'de', request);
    expect(mail.subject).toBe('Anna, wohin dürfen wir Ihr Geschenk schicken?');
    expect(mail.text).toContain('möchten wir Ihnen Touchpoint-Geschenkbox schicken.');
    expect(mail.text).toContain(
      'Bestätigen Sie Ihre Lieferadresse bis zum 7. Dezember 2026:\n\n    https://cx.example.com/g/token123',
    );
    expect(mail.html).toContain('href="https://cx.example.com/g/token123"');
  });

  it('and in English', async () => {
    const mail = await render('gift-address-request', 'en', { ...request, name: 'Touchpoint gift box' });
    expect(mail.subject).toBe('Anna, where should we send your gift?');
    expect(mail.text).toContain('confirm your shipping address by December 7, 2026:');
  });
});
