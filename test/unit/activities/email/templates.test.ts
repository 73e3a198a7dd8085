import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localeChain, TemplateError, TemplateLibrary } from '../../../../activities/email/templates';

const TEMPLATES = path.resolve(__dirname, '../../../../templates');

const npsData = (name = 'Anna Schmidt') => ({
  customer: { name, id: 'anna', email: 'anna@example.com', attributes: {} } as { name?: string },
  survey: {
    url: 'https://cx.example.com/s/inv',
    scores: [0, 5, 10].map((score) => ({ score, url: `https://cx.example.com/s/inv?score=${score}&t=tok` })),
  },
});

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

describe('TemplateLibrary over the real templates', () => {
  const library = new TemplateLibrary(TEMPLATES);

  it('renders nps-invitation for de-CH in German, all three parts, inside the email layout', () => {
    const rendered = library.render('nps-invitation', 'de-CH', npsData(), { layout: 'email' });
    expect(rendered.locale).toBe('de');
    expect(rendered.subject).toBe('Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?');
    expect(rendered.text).toContain('Hallo Anna Schmidt,');
    expect(rendered.html).toContain('<p>Hallo Anna Schmidt,</p>');
    // The layout wraps the body and gets the chosen locale.
    expect(rendered.html).toMatch(/^<!doctype html>/);
    expect(rendered.html).toContain('<html lang="de">');
  });

  it('falls back to English for a locale without templates (fr)', () => {
    const rendered = library.render('nps-invitation', 'fr', npsData());
    expect(rendered.locale).toBe('en');
    expect(rendered.subject).toBe('How likely are you to recommend us?');
    expect(rendered.text).toMatch(/^Hello Anna Schmidt,/);
  });

  it('trims the subject (the file ends with a newline)', () => {
    const { subject } = library.render('nps-invitation', 'en', npsData());
    expect(subject).not.toMatch(/\s$/);
  });

  it('renders one score link per score, in the text and (via the partial) in the HTML', () => {
    const { text, html } = library.render('nps-invitation', 'en', npsData());
    expect(text).toContain(
      '0: https://cx.example.com/s/inv?score=0&t=tok\n5: https://cx.example.com/s/inv?score=5&t=tok\n10:',
    );
    expect(html?.match(/<a href=/g)).toHaveLength(3);
  });

  it('names a missing layout in a TemplateError', () => {
    expect(() => library.render('nps-invitation', 'en', npsData(), { layout: 'nope' })).toThrow(
      /template "nps-invitation": layout "nope" does not exist/,
    );
  });

  it('without a layout, the HTML part is the bare body', () => {
    const { html } = library.render('nps-invitation', 'en', npsData());
    expect(html).toMatch(/^<p>Hello Anna Schmidt,<\/p>/);
    expect(html).not.toContain('<!doctype html>');
  });

  it('greets generically when the customer has no name (name is optional)', () => {
    const data = npsData();
    delete data.customer.name; // as a customer stored without a name
    const rendered = library.render('nps-invitation', 'de', data);
    expect(rendered.text).toMatch(/^Hallo zusammen,/);
  });

  it('is strict: data without `customer` throws a TemplateError naming the template', () => {
    const { survey } = npsData();
    expect.assertions(4);
    try {
      library.render('nps-invitation', 'en', { survey });
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).template).toBe('nps-invitation');
      expect((error as Error).message).toMatch(/^template "nps-invitation": en\.\w+\.hbs: /);
      expect((error as Error).name).toBe('TemplateError');
    }
  });

  it('escapes HTML in the HTML part but not in the text part', () => {
    const rendered = library.render('nps-invitation', 'en', npsData('<script>alert(1)</script>'), { layout: 'email' });
    expect(rendered.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.text).toContain('Hello <script>alert(1)</script>,');
    // URLs in the text part are left as they are; in the HTML part "&" is escaped.
    expect(rendered.text).toContain('?score=0&t=tok');
    expect(rendered.html).toContain('&amp;t');
  });

  it.each(['no-such-template', 'Nps-Invitation', '../templates/nps-invitation', ''])(
    'throws a TemplateError for the unknown or invalid name %p',
    (name) => {
      expect(() => library.render(name, 'en', npsData())).toThrow(TemplateError);
      expect(() => library.render(name, 'en', npsData())).toThrow(/no such template/);
    },
  );

  it('has() tells which templates exist', () => {
    expect(library.has('nps-invitation')).toBe(true);
    expect(library.has('nps-reminder')).toBe(true);
    expect(library.has('no-such-template')).toBe(false);
  });
});

describe('TemplateLibrary over a folder of its own', () => {
  let root: string;

  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-templates-'));
    write('text-only/en.text.hbs', 'Hi {{name}} & <friends>');
    write('german-only/de.text.hbs', 'Hallo');
    write('with-partial/en.html.hbs', '<p>{{> signature}}</p>');
    write('with-partial/en.subject.hbs', '  Re: {{topic}}  \n');
    write('helper/en.text.hbs', '{{#if (eq plan "pro")}}pro{{else}}free{{/if}}');
    write('partials/signature.hbs', 'Your {{team}} team');
    write('partials/ignored.txt', 'not a partial');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('renders a template that has only a text part, and only that part', () => {
    const library = new TemplateLibrary(root);
    const rendered = library.render('text-only', 'de-CH', { name: 'Anna' }, { layout: 'email' });
    // No html part, so the (missing) layout is never read.
    expect(rendered).toEqual({ locale: 'en', text: 'Hi Anna & <friends>' });
    expect(rendered).not.toHaveProperty('html');
    expect(rendered).not.toHaveProperty('subject');
  });

  it('is strict in a text part too: a missing variable throws instead of rendering a blank', () => {
    const library = new TemplateLibrary(root);
    expect(() => library.render('text-only', 'en', {})).toThrow(TemplateError);
    expect(() => library.render('text-only', 'en', {})).toThrow(/template "text-only": en\.text\.hbs: .*name/);
  });

  it('throws when neither the locale chain nor English has a part', () => {
    const library = new TemplateLibrary(root);
    expect(library.render('german-only', 'de-AT', {})).toEqual({ locale: 'de', text: 'Hallo' });
    expect(() => library.render('german-only', 'fr', {})).toThrow(
      new TemplateError('german-only', `has no part for locale "fr" nor for "en"`),
    );
  });

  it('registers partials from partials/ and does not escape the subject', () => {
    const library = new TemplateLibrary(root);
    const rendered = library.render('with-partial', 'en', { team: 'A&B', topic: '<Printer>' });
    expect(rendered.html).toBe('<p>Your A&amp;B team</p>');
    expect(rendered.subject).toBe('Re: <Printer>');
  });

  it('provides the eq helper', () => {
    const library = new TemplateLibrary(root);
    expect(library.render('helper', 'en', { plan: 'pro' }).text).toBe('pro');
    expect(library.render('helper', 'en', { plan: 'basic' }).text).toBe('free');
  });

  it('compiles each file once: later edits to the file are not seen by the same library', () => {
    write('cached/en.text.hbs', 'first');
    const library = new TemplateLibrary(root);
    expect(library.render('cached', 'en', {}).text).toBe('first');
    write('cached/en.text.hbs', 'second');
    expect(library.render('cached', 'en', {}).text).toBe('first');
    expect(new TemplateLibrary(root).render('cached', 'en', {}).text).toBe('second');
  });
});

describe('TemplateLibrary error messages name the missing variable', () => {
  const library = new TemplateLibrary(TEMPLATES);

  it('for a block helper parameter inside a partial ({{#each survey.scores}})', () => {
    // Handlebars' strict mode does not check helper parameters: it fails with a TypeError on "scores".
    expect(() =>
      library.render('nps-invitation', 'en', {
        customer: { name: 'A', id: '1', email: 'a@example.com', attributes: {} },
      }),
    ).toThrow('template "nps-invitation": en.html.hbs: the variable "survey.scores" is not provided');
  });
});
