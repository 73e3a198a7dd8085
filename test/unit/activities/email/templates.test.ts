import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { messageData, NO_LINKS, type MessageLinks } from '../../../../activities/email/message-data';
import { linkProblems, localeChain, TemplateError, TemplateLibrary } from '../../../../activities/email/templates';

const TEMPLATES = path.resolve(__dirname, '../../../../templates');
const PUBLIC_URL = 'http://localhost:3000';

const MARKETING: MessageLinks = {
  unsubscribe: 'https://cx.example.com/u/tok',
  preferences: 'https://cx.example.com/u/tok/preferences',
};

/** The standard variables, as the send activity builds them. */
const emailData = (
  options: { name?: string; locale?: string; links?: MessageLinks; run?: Record<string, unknown> } = {},
) =>
  messageData(
    {
      id: 'anna',
      name: options.name ?? 'Anna Schmidt',
      email: 'anna@example.com',
      locale: options.locale ?? 'en',
      timeZone: 'Europe/Berlin',
      attributes: {},
    },
    {
      company: { name: 'Acme GmbH', address: 'Hauptstraße 1, 10115 Berlin' },
      links: options.links ?? MARKETING,
      survey: { kind: 'nps', url: 'https://cx.example.com/s/inv' },
    },
    options.run ?? {},
  );

const gift = { gift: { code: 'ABCD-EFGH', value: 1234.5, currency: 'EUR' } };

describe('localeChain', () => {
  it('goes from the full locale to its language, then to English', () => {
    expect(localeChain('de-CH')).toEqual(['de-CH', 'de', 'en']);
  });

  it('drops one subtag at a time', () => {
    expect(localeChain('zh-Hant-TW')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh', 'en']);
  });

  it('does not repeat the fallback', () => {
    expect(localeChain('en')).toEqual(['en']);
    expect(localeChain('en-GB')).toEqual(['en-GB', 'en']);
  });

  it('takes another fallback', () => {
    expect(localeChain('fr-CA', 'de')).toEqual(['fr-CA', 'fr', 'de']);
  });
});

describe('renderEmail over the real templates', () => {
  const library = new TemplateLibrary(TEMPLATES, { publicUrl: PUBLIC_URL });

  it('renders nps-invitation for de-CH in German: subject, MJML-compiled HTML and text', async () => {
    const rendered = await library.renderEmail('nps-invitation', 'de-CH', emailData({ locale: 'de-CH' }));
    expect(rendered.locale).toBe('de');
    expect(rendered.formatLocale).toBe('de-CH');
    expect(rendered.subject).toBe('Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?');
    expect(rendered.text).toMatch(/^Hallo Anna Schmidt,/);
    expect(rendered.html).toMatch(/^<!doctype html>/i);
    expect(rendered.html).toContain('<html lang="de"');
    expect(rendered.html).toContain('Hallo Anna Schmidt,');
    expect(rendered.html).toContain('<title>Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?</title>');
  });

  it('compiles MJML to responsive HTML with inlined styles', async () => {
    const { html } = await library.renderEmail('nps-invitation', 'en', emailData());
    // MJML's responsive columns: a media query switches the stacked mobile columns to a row.
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/@media only screen and \(min-width:480px\)/);
    expect(html).toContain('mj-column-per-100');
    // Outlook gets its fixed-width tables in conditional comments.
    expect(html).toContain('<!--[if mso | IE]>');
    // The layout's <mj-style inline="inline"> rule for score links is inlined into each link.
    expect(html).toMatch(/<a href="https:\/\/cx\.example\.com\/s\/inv\?score&#x3D;0" style="display: block;[^"]*"/);
    expect(html).not.toMatch(/<mj-/);
  });

  it('falls back to English for a locale without templates (fr), formatting in English too', async () => {
    const rendered = await library.renderEmail('winback-offer', 'fr-CH', emailData({ run: gift }));
    expect(rendered.locale).toBe('en');
    expect(rendered.formatLocale).toBe('en');
    expect(rendered.subject).toBe('A personal €1,234.50 voucher for you');
  });

  it('formats the gift in German and English (formatCurrency)', async () => {
    const de = await library.renderEmail('winback-offer', 'de', emailData({ locale: 'de', run: gift }));
    const en = await library.renderEmail('winback-offer', 'en', emailData({ run: gift }));
    // Intl puts a no-break space between the amount and the symbol.
    expect(de.subject).toBe('Ihr persönlicher Gutschein über 1.234,50\u00a0€');
    expect(de.html).toContain('<strong>1.234,50\u00a0€</strong>');
    expect(de.text).toContain('Gutschein über 1.234,50\u00a0€ für Ihre nächste Bestellung');
    expect(en.subject).toBe('A personal €1,234.50 voucher for you');
    expect(en.html).toContain('<strong>€1,234.50</strong>');
  });

  it('renders one one-click link per score, in the HTML and the text part', async () => {
    const { html, text } = await library.renderEmail('nps-invitation', 'en', emailData());
    for (const score of [0, 5, 10]) {
      expect(html).toContain(`href="https://cx.example.com/s/inv?score&#x3D;${score}"`);
      expect(text).toContain(`${score}: https://cx.example.com/s/inv?score=${score}\n`);
    }
    expect(html.match(/\?score&#x3D;/g)).toHaveLength(11);
  });

  it('puts a footer with company, address, unsubscribe and preferences links into marketing mail', async () => {
    const en = await library.renderEmail('winback-miss-you', 'en', emailData());
    expect(en.html).toContain('Acme GmbH<br>Hauptstraße 1, 10115 Berlin');
    expect(en.html).toMatch(/<a href="https:\/\/cx\.example\.com\/u\/tok"[^>]*>Unsubscribe<\/a>/);
    expect(en.html).toMatch(/<a href="https:\/\/cx\.example\.com\/u\/tok\/preferences"[^>]*>Manage email preferences/);
    // The hand-written text part gets the text footer.
    expect(en.text).toContain(
      'Acme GmbH\nHauptstraße 1, 10115 Berlin\nUnsubscribe: https://cx.example.com/u/tok\n' +
        'Email preferences: https://cx.example.com/u/tok/preferences\n',
    );

    const de = await library.renderEmail('winback-miss-you', 'de', emailData({ locale: 'de' }));
    expect(de.html).toMatch(/>Abmelden<\/a>/);
    expect(de.html).toContain('E-Mail-Einstellungen verwalten');
    expect(de.text).toContain('Abmelden: https://cx.example.com/u/tok\n');
  });

  it('has no unsubscribe link when the links are empty (transactional mail), but keeps the address', async () => {
    const rendered = await library.renderEmail('winback-miss-you', 'en', emailData({ links: NO_LINKS }));
    expect(rendered.html).not.toContain('Unsubscribe');
    expect(rendered.text).not.toContain('Unsubscribe');
    expect(rendered.html).toContain('Hauptstraße 1, 10115 Berlin');
    expect(rendered.text).toContain('Hauptstraße 1, 10115 Berlin');
  });

  it('escapes HTML in the HTML part but not in the subject or the text part', async () => {
    const data = emailData({ name: '<script>alert(1)</script>' });
    const rendered = await library.renderEmail('thank-you-gift', 'en', { ...data, data: gift });
    expect(rendered.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.subject).toBe('Thank you, <script>alert(1)</script>: a gift for you');
    expect(rendered.text).toContain('Hello <script>alert(1)</script>,');
  });

  it('is strict: a missing variable is a TemplateError naming the whole variable, template and locale', async () => {
    expect.assertions(4);
    try {
      await library.renderEmail('winback-offer', 'de', emailData({ locale: 'de' }));
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).template).toBe('winback-offer');
      expect((error as TemplateError).locale).toBe('de');
      expect((error as Error).message).toMatch(/^template "winback-offer": de\.subject\.hbs: .*"data\.gift\.value"/);
    }
  });

  it('names a missing block parameter inside a partial ({{#each survey.scores}})', async () => {
    const withoutSurvey = emailData();
    delete withoutSurvey.survey;
    await expect(library.renderEmail('nps-invitation', 'en', withoutSurvey)).rejects.toThrow(
      'template "nps-invitation": en.mjml.hbs: the variable "survey.scores" is not provided',
    );
  });

  it.each(['no-such-template', 'Nps-Invitation', '../templates/nps-invitation', '', 'partials', 'layouts'])(
    'throws a TemplateError for the unknown or invalid name %p',
    async (name) => {
      await expect(library.renderEmail(name, 'en', emailData())).rejects.toThrow(/no such template/);
    },
  );

  it('lists the email templates with their locales, not layouts, partials or pages', () => {
    const names = library.list().map((t) => t.name);
    expect(names).toEqual([
      'ces-invitation',
      'ces-reminder',
      'csat-invitation',
      'csat-reminder',
      'feedback-acknowledgement',
      'feedback-thanks',
      'gift-address-request',
      'nps-invitation',
      'nps-reminder',
      'review-ask',
      'thank-you-gift',
      'winback-coupon-offer',
      'winback-coupon-reminder',
      'winback-last-chance',
      'winback-miss-you',
      'winback-offer',
    ]);
    expect(library.list()[0]).toEqual({ name: 'ces-invitation', locales: ['de', 'en'] });
  });

  it('refuses to render an email template with the sync page renderer', () => {
    expect(() => library.render('nps-invitation', 'en', emailData())).toThrow(/render it with renderEmail/);
  });
});

describe('the pages (plain HTML, sync render)', () => {
  const library = new TemplateLibrary(TEMPLATES);

  it('renders a survey page in its layout', () => {
    const rendered = library.render(
      'pages/survey-thanks',
      'de-AT',
      { title: 'Feedback', score: 9 },
      { layout: 'page' },
    );
    expect(rendered.locale).toBe('de');
    expect(rendered.html).toMatch(/^<!doctype html>/);
    expect(rendered.html).toContain('<html lang="de">');
  });

  it('names a missing layout in a TemplateError', () => {
    expect(() => library.render('pages/survey-thanks', 'en', { score: 1 }, { layout: 'nope' })).toThrow(
      /template "pages\/survey-thanks": layout "nope" does not exist/,
    );
  });
});

describe('a template folder of its own', () => {
  let root: string;
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  const mjml = (body: string) =>
    `<mjml><mj-body><mj-section><mj-column>${body}</mj-column></mj-section></mj-body></mjml>`;
  const library = (options = {}) => new TemplateLibrary(root, options);

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-templates-'));
    write('text-only/en.text.hbs', 'Hi {{name}} & <friends>');
    write('german-only/de.text.hbs', 'Hallo');
    write('with-partial/en.html.hbs', '<p>{{> signature}}</p>');
    write('with-partial/en.subject.hbs', '  Re: {{topic}}  \n');
    write('helper/en.text.hbs', '{{#if (eq plan "pro")}}pro{{else}}free{{/if}}');
    write('partials/signature.hbs', 'Your {{team}} team');
    write('partials/ignored.txt', 'not a partial');

    write('formats/en.text.hbs', '{{formatDate when "long" time=true}} | {{formatNumber n 2}} | {{formatNumber n}}');
    write('formats/en.subject.hbs', '{{plural count one="# day" other="# days"}}');
    write('dates/en.text.hbs', '{{formatDate when style}}');
    write('money/en.text.hbs', '{{formatCurrency amount currency}}');
    write('plural/en.text.hbs', '{{plural count one="# Tag" other="# Tage"}}');
    write('plural-pl/en.text.hbs', '{{plural count one="# dzień" few="# dni" many="# dni" other="# dnia"}}');
    write('no-other/en.text.hbs', '{{plural count one="# day"}}');

    write('mail/en.subject.hbs', 'Hello');
    write('mail/en.mjml.hbs', mjml('<mj-text>Hi {{name}}, see <a href="{{url}}">our offer</a>.</mj-text>'));
    write('bad-mjml/en.subject.hbs', 'Hello');
    write('bad-mjml/en.mjml.hbs', mjml('<mj-text>Hi</mj-text>\n<mj-section></mj-section>'));
    write('no-subject/en.mjml.hbs', mjml('<mj-text>Hi</mj-text>'));
    write('image/en.subject.hbs', 'Hello');
    write('image/en.mjml.hbs', mjml('<mj-image src="{{src}}" alt="" />'));
    write('coupon/en.subject.hbs', 'Your coupon');
    write('coupon/en.mjml.hbs', mjml('<mj-text>Hi {{name}}</mj-text>\n<mj-text>Code: {{data.coupon}}</mj-text>'));
    write('helper-param/en.subject.hbs', 'Your gift');
    write('helper-param/en.mjml.hbs', mjml('<mj-text>{{formatCurrency data.value data.currency}}</mj-text>'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  describe('render (sync, parts as they are)', () => {
    it('renders a template that has only a text part, and only that part', () => {
      expect(library().render('text-only', 'de-CH', { name: 'Anna' })).toEqual({
        locale: 'en',
        text: 'Hi Anna & <friends>',
      });
    });

    it('is strict in a text part too: a missing variable throws instead of rendering a blank', () => {
      expect(() => library().render('text-only', 'en', {})).toThrow(/template "text-only": en\.text\.hbs: .*name/);
    });

    it('throws when neither the locale chain nor English has a part', () => {
      expect(library().render('german-only', 'de-AT', {})).toEqual({ locale: 'de', text: 'Hallo' });
      expect(() => library().render('german-only', 'fr', {})).toThrow(
        new TemplateError('german-only', `has no part for locale "fr" nor for "en"`),
      );
    });

    it('registers partials from partials/ and does not escape the subject', () => {
      const rendered = library().render('with-partial', 'en', { team: 'A&B', topic: '<Printer>' });
      expect(rendered.html).toBe('<p>Your A&amp;B team</p>');
      expect(rendered.subject).toBe('Re: <Printer>');
    });

    it('provides the eq helper', () => {
      expect(library().render('helper', 'en', { plan: 'pro' }).text).toBe('pro');
      expect(library().render('helper', 'en', { plan: 'basic' }).text).toBe('free');
    });

    it('compiles each file once: later edits to the file are not seen by the same library', () => {
      write('cached/en.text.hbs', 'first');
      const cached = library();
      expect(cached.render('cached', 'en', {}).text).toBe('first');
      write('cached/en.text.hbs', 'second');
      expect(cached.render('cached', 'en', {}).text).toBe('first');
      expect(library().render('cached', 'en', {}).text).toBe('second');
    });
  });

  describe('formatting helpers, in the locale and time zone of the render', () => {
    const when = '2026-11-23T14:30:00Z';

    it('formats dates and numbers in German and English', () => {
      const data = { when, n: 1234.5, count: 1 };
      // German files are chosen for "de"; here the locale only changes the formatting (the file is en).
      write('formats/de.text.hbs', '{{formatDate when "long"}} | {{formatNumber n 2}}');
      const de = library().render('formats', 'de', data, { timeZone: 'Europe/Berlin' });
      const en = library().render('formats', 'en', data, { timeZone: 'Europe/Berlin' });
      expect(de.text).toBe('23. November 2026 | 1.234,50');
      expect(en.text).toBe('November 23, 2026 at 3:30 PM | 1,234.50 | 1,234.5');
    });

    it('applies the time zone (default UTC)', () => {
      const late = { when: '2026-11-23T23:30:00Z', n: 1, count: 1 };
      expect(library().render('formats', 'en', late).text).toMatch(/^November 23, 2026 at 11:30 PM/);
      expect(library().render('formats', 'en', late, { timeZone: 'Asia/Tokyo' }).text).toMatch(
        /^November 24, 2026 at 8:30 AM/,
      );
    });

    it('keeps a calendar date (YYYY-MM-DD) on its day in any time zone', () => {
      const render = (timeZone: string) =>
        library().render('dates', 'en', { when: '2026-11-23', style: 'full' }, { timeZone }).text;
      expect(render('America/Los_Angeles')).toBe('Monday, November 23, 2026');
      expect(render('Pacific/Kiritimati')).toBe('Monday, November 23, 2026');
    });

    it('uses the customer locale of the same language: de-CH formats Swiss', () => {
      const rendered = library().render('money', 'en-GB', { amount: 1234.5, currency: 'GBP' });
      expect(rendered.text).toBe('£1,234.50');
      write('money/de.text.hbs', '{{formatCurrency amount currency}}');
      expect(library().render('money', 'de-CH', { amount: 1234.5, currency: 'CHF' }).text).toBe("CHF\u00a01'234.50");
      expect(library().render('money', 'de', { amount: 1234.5, currency: 'CHF' }).text).toBe('1.234,50\u00a0CHF');
    });

    it('picks plural forms by the language rules and puts the count in for #', () => {
      const plural = (count: number, locale = 'en') => library().render('plural', locale, { count }).text;
      expect(plural(1)).toBe('1 Tag');
      expect(plural(0)).toBe('0 Tage');
      expect(plural(1500)).toBe('1,500 Tage');
      expect(library().render('formats', 'en', { when, n: 1, count: 1 }).subject).toBe('1 day');
      expect(library().render('formats', 'en', { when, n: 1, count: 2 }).subject).toBe('2 days');
    });

    it('knows plural categories beyond one/other (Polish few/many)', () => {
      write('plural-pl/pl.text.hbs', '{{plural count one="# dzień" few="# dni (few)" many="# dni" other="# dnia"}}');
      const pl = (count: number) => library().render('plural-pl', 'pl', { count }).text;
      expect(pl(1)).toBe('1 dzień');
      expect(pl(3)).toBe('3 dni (few)');
      expect(pl(5)).toBe('5 dni');
      expect(pl(1.5)).toBe('1,5 dnia');
    });

    it.each([
      ['dates', { when: 'next tuesday', style: 'long' }, /line 1: formatDate: "next tuesday" is not a date/],
      ['dates', { when: '2026-11-23', style: 'huge' }, /formatDate: unknown style "huge"/],
      ['money', { amount: 10, currency: 'EURO' }, /formatCurrency: "EURO" is not a known currency code/],
      ['money', { amount: 'ten', currency: 'EUR' }, /formatCurrency: "ten" is not a number \(the amount\)/],
      ['plural', { count: 'many' }, /plural: "many" is not a number/],
      ['no-other', { count: 2 }, /plural: needs other=/],
    ])('rejects bad arguments with a TemplateError naming the helper and the value (%s %p)', (name, data, message) => {
      expect(() => library().render(name, 'en', data)).toThrow(TemplateError);
      expect(() => library().render(name, 'en', data)).toThrow(message);
    });

    it('names the variable when a helper parameter is not provided', () => {
      expect(() => library().render('money', 'en', { amount: 5 })).toThrow(
        'template "money": en.text.hbs: line 1: the variable "currency" is not provided (formatCurrency needs it)',
      );
    });

    it('rejects an unknown time zone', () => {
      expect(() => library().render('dates', 'en', { when, style: 'long' }, { timeZone: 'Mars/Olympus' })).toThrow(
        /unknown time zone "Mars\/Olympus"/,
      );
    });
  });

  describe('renderEmail', () => {
    it('renders a whole <mjml> document without a layout, deriving the text part from the HTML', async () => {
      const rendered = await library().renderEmail('mail', 'en', { name: 'Anna', url: 'https://shop.example.com/o' });
      expect(rendered.subject).toBe('Hello');
      expect(rendered.html).toMatch(/^<!doctype html>/i);
      expect(rendered.text).toBe('Hi Anna, see our offer [https://shop.example.com/o].\n');
    });

    it('allows links under the public URL (http in development)', async () => {
      const rendered = await library({ publicUrl: 'http://localhost:3000' }).renderEmail('mail', 'en', {
        name: 'A',
        url: 'http://localhost:3000/s/token?score=3',
      });
      expect(rendered.html).toContain('href="http://localhost:3000/s/token?score&#x3D;3"');
    });

    it.each([
      'http://shop.example.com/o',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<b>x</b>',
      '/relative/path',
      'shop.example.com',
      'http://localhost:30001/s/x',
    ])('rejects the link %p (only https: or the public URL)', async (url) => {
      const rendering = library({ publicUrl: 'http://localhost:3000' }).renderEmail('mail', 'en', { name: 'A', url });
      await expect(rendering).rejects.toThrow(TemplateError);
      await expect(rendering).rejects.toThrow(
        /template "mail": en\.mjml\.hbs: links must be https: or start with http:\/\/localhost:3000; not allowed: <a href=/,
      );
    });

    it('checks image sources too', async () => {
      await expect(library().renderEmail('image', 'en', { src: 'http://cdn.example.com/a.png' })).rejects.toThrow(
        'not allowed: <img src="http://cdn.example.com/a.png">',
      );
      await expect(
        library().renderEmail('image', 'en', { src: 'https://cdn.example.com/a.png' }),
      ).resolves.toBeDefined();
    });

    it('reports MJML validation errors as a TemplateError naming template, locale and the problem', async () => {
      expect.assertions(3);
      try {
        await library().renderEmail('bad-mjml', 'en', {});
      } catch (error) {
        expect(error).toBeInstanceOf(TemplateError);
        expect((error as TemplateError).locale).toBe('en');
        expect((error as Error).message).toMatch(
          /^template "bad-mjml": en\.mjml\.hbs: not valid MJML: line 2 of the rendered en\.mjml\.hbs: mj-section cannot be used inside mj-column/,
        );
      }
    });

    it('needs a subject and an MJML body', async () => {
      await expect(library().renderEmail('no-subject', 'en', {})).rejects.toThrow(
        'template "no-subject": needs a subject for locale "en": en.subject.hbs is missing',
      );
      await expect(library().renderEmail('text-only', 'en', { name: 'A' })).rejects.toThrow(
        /needs a subject for locale "en"/,
      );
    });

    it('fails with the name of a missing variable (data.coupon), never a blank', async () => {
      await expect(library().renderEmail('coupon', 'en', { name: 'A', data: {} })).rejects.toThrow(
        'template "coupon": en.mjml.hbs: line 2: the variable "data.coupon" is not provided',
      );
      await expect(library().renderEmail('helper-param', 'en', { data: { currency: 'EUR' } })).rejects.toThrow(
        'the variable "data.value" is not provided (formatCurrency needs it)',
      );
    });
  });
});

describe('linkProblems', () => {
  it('reads the HTML with a parser: entities and case do not hide a link', () => {
    expect(linkProblems('<a HREF="jav&#x61;script:x">a</a><a href="https://ok.example">b</a>')).toEqual([
      '<a href="javascript:x">',
    ]);
  });

  it('allows mailto: (no request leaves the mail client)', () => {
    expect(linkProblems('<a href="mailto:help@example.com">help</a>')).toEqual([]);
  });
});
