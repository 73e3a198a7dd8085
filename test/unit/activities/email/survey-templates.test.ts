import path from 'node:path';
import { messageData, type MessageLinks } from '../../../../activities/email/message-data';
import { TemplateLibrary } from '../../../../activities/email/templates';
import { scaleScores, type SurveyKind } from '../../../../model/survey';

const TEMPLATES = path.resolve(__dirname, '../../../../templates');
const PUBLIC_URL = 'http://localhost:3000';
const SURVEY_URL = 'https://cx.example.com/s/inv';
const REVIEW_URL = 'https://reviews.example.com/acme/write';

const MARKETING: MessageLinks = {
  unsubscribe: 'https://cx.example.com/u/tok',
  preferences: 'https://cx.example.com/u/tok/preferences',
};

/** The standard variables, as the send activity builds them (with a survey of the given kind). */
const emailData = (
  options: {
    name?: string;
    locale?: string;
    kind?: SurveyKind;
    run?: Record<string, unknown>;
    reviewUrl?: string;
  } = {},
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
      company: { name: 'Acme GmbH', address: 'Hauptstraße 1, 10115 Berlin', reviewUrl: options.reviewUrl },
      links: MARKETING,
      ...(options.kind ? { survey: { kind: options.kind, url: SURVEY_URL } } : {}),
    },
    options.run ?? {},
  );

const library = new TemplateLibrary(TEMPLATES, { publicUrl: PUBLIC_URL });

type Locale = 'en' | 'de';

const SURVEYS: {
  name: string;
  kind: SurveyKind;
  subject: Record<Locale, string>;
  labels: Record<Locale, [string, string]>;
  statement?: Record<Locale, string>;
}[] = [
  {
    name: 'csat-invitation',
    kind: 'csat',
    subject: { en: 'How satisfied are you with our help?', de: 'Wie zufrieden sind Sie mit unserer Hilfe?' },
    labels: { en: ['1 = very dissatisfied', '5 = very satisfied'], de: ['1 = sehr unzufrieden', '5 = sehr zufrieden'] },
  },
  {
    name: 'csat-reminder',
    kind: 'csat',
    subject: {
      en: 'Reminder: one click to tell us how we handled your request',
      de: 'Erinnerung: Ein Klick, um die Bearbeitung Ihrer Anfrage zu bewerten',
    },
    labels: { en: ['1 = very dissatisfied', '5 = very satisfied'], de: ['1 = sehr unzufrieden', '5 = sehr zufrieden'] },
  },
  {
    name: 'ces-invitation',
    kind: 'ces',
    subject: { en: 'Was it easy to get your issue resolved?', de: 'War es einfach, Ihr Anliegen zu erledigen?' },
    labels: {
      en: ['1 = strongly disagree', '7 = strongly agree'],
      de: ['1 = stimme überhaupt nicht zu', '7 = stimme voll und ganz zu'],
    },
    statement: {
      en: 'Acme GmbH made it easy to handle my issue.',
      de: 'Acme GmbH hat es mir leicht gemacht, mein Anliegen zu erledigen.',
    },
  },
  {
    name: 'ces-reminder',
    kind: 'ces',
    subject: {
      en: 'Reminder: was it easy to get your issue resolved?',
      de: 'Erinnerung: War es einfach, Ihr Anliegen zu erledigen?',
    },
    labels: {
      en: ['1 = strongly disagree', '7 = strongly agree'],
      de: ['1 = stimme überhaupt nicht zu', '7 = stimme voll und ganz zu'],
    },
    statement: {
      en: 'Acme GmbH made it easy to handle my issue.',
      de: 'Acme GmbH hat es mir leicht gemacht, mein Anliegen zu erledigen.',
    },
  },
];

const LOCALES: Locale[] = ['en', 'de'];
const GREETING: Record<Locale, { named: string; neutral: string }> = {
  en: { named: 'Hello Anna Schmidt,', neutral: 'Hello there,' },
  de: { named: 'Hallo Anna Schmidt,', neutral: 'Hallo zusammen,' },
};

describe.each(SURVEYS)('$name', ({ name, kind, subject, labels, statement }) => {
  const scores = scaleScores(kind);

  it.each(LOCALES)('renders in %s with one one-click link per score and the scale labels', async (locale) => {
    const rendered = await library.renderEmail(name, locale, emailData({ locale, kind }));
    expect(rendered.locale).toBe(locale);
    expect(rendered.subject).toBe(subject[locale]);
    expect(rendered.html).toContain(GREETING[locale].named);
    expect(rendered.text.startsWith(GREETING[locale].named)).toBe(true);

    expect(rendered.html.match(/\?score&#x3D;/g)).toHaveLength(scores.length);
    expect(rendered.text.match(/\?score=/g)).toHaveLength(scores.length);
    for (const score of scores) {
      expect(rendered.html).toContain(`href="${SURVEY_URL}?score&#x3D;${score}"`);
      expect(rendered.text).toContain(`${score}: ${SURVEY_URL}?score=${score}\n`);
    }
    for (const label of labels[locale]) {
      // Handlebars escapes "=" in the partial's parameters.
      expect(rendered.html).toContain(label.replace(/=/g, '&#x3D;'));
      expect(rendered.text).toContain(label);
    }
    if (statement) {
      expect(rendered.html).toContain(statement[locale]);
      expect(rendered.text).toContain(statement[locale]);
    }
    // The footer from the layout (HTML) and from footer.text.hbs (text), with the unsubscribe link.
    expect(rendered.html).toContain(MARKETING.unsubscribe);
    expect(rendered.text).toContain(MARKETING.unsubscribe);
  });

  it('greets neutrally without a name', async () => {
    for (const locale of LOCALES) {
      const rendered = await library.renderEmail(name, locale, emailData({ locale, kind, name: '' }));
      expect(rendered.html).toContain(GREETING[locale].neutral);
      expect(rendered.text.startsWith(GREETING[locale].neutral)).toBe(true);
    }
  });

  it('fails naming survey.scores when sent without a survey', async () => {
    await expect(library.renderEmail(name, 'en', emailData())).rejects.toThrow(/"survey\.scores"/);
  });
});

const FOLLOW_UPS: {
  name: string;
  run?: Record<string, unknown>;
  subject: Record<Locale, string>;
  says: Record<Locale, string[]>;
}[] = [
  {
    name: 'feedback-acknowledgement',
    subject: { en: 'Thank you for your honest feedback', de: 'Danke für Ihr offenes Feedback' },
    says: {
      en: ['thank you for your honest feedback', 'Someone from our team will get in touch with you soon'],
      de: ['vielen Dank für Ihr offenes Feedback', 'Jemand aus unserem Team wird sich in Kürze bei Ihnen melden'],
    },
  },
  {
    name: 'review-ask',
    subject: {
      en: 'Thank you! Would you share your experience?',
      de: 'Vielen Dank! Möchten Sie Ihre Erfahrung teilen?',
    },
    says: {
      en: ['Would you share your experience with Acme GmbH in a short review?', 'a recommendation from you counts'],
      de: ['Möchten Sie Ihre Erfahrung mit Acme GmbH in einer kurzen Bewertung teilen?', 'Ihre Empfehlung zählt'],
    },
  },
  {
    name: 'feedback-thanks',
    subject: { en: 'Thank you for your feedback', de: 'Vielen Dank für Ihr Feedback' },
    says: {
      en: ['thank you for taking the time to give us your feedback', 'we keep improving'],
      de: ['vielen Dank, dass Sie sich die Zeit für Ihr Feedback genommen haben', 'wir arbeiten ständig daran'],
    },
  },
];

describe.each(FOLLOW_UPS)('$name', ({ name, run, subject, says }) => {
  it.each(LOCALES)('renders in %s, without survey links', async (locale) => {
    const rendered = await library.renderEmail(name, locale, emailData({ locale, run }));
    expect(rendered.locale).toBe(locale);
    expect(rendered.subject).toBe(subject[locale]);
    expect(rendered.html).toContain(GREETING[locale].named);
    expect(rendered.text.startsWith(GREETING[locale].named)).toBe(true);
    for (const text of says[locale]) {
      expect(rendered.html).toContain(text);
      expect(rendered.text).toContain(text);
    }
    expect(rendered.html).not.toContain('?score');
    expect(rendered.text).not.toContain('?score');
    // No placeholders like "[Company]" left in the copy.
    expect(rendered.text).not.toMatch(/\[[A-Z]/);
  });

  it('greets neutrally without a name', async () => {
    for (const locale of LOCALES) {
      const rendered = await library.renderEmail(name, locale, emailData({ locale, run, name: '' }));
      expect(rendered.html).toContain(GREETING[locale].neutral);
      expect(rendered.text.startsWith(GREETING[locale].neutral)).toBe(true);
    }
  });
});

describe('review-ask', () => {
  it.each(LOCALES)('links the button and the text part to the company review page (%s)', async (locale) => {
    const rendered = await library.renderEmail('review-ask', locale, emailData({ locale, reviewUrl: REVIEW_URL }));
    expect(rendered.html).toMatch(
      new RegExp(`<a href="${REVIEW_URL}"[^>]*>\\s*${locale === 'de' ? 'Bewertung schreiben' : 'Write a review'}`),
    );
    expect(rendered.text).toContain(REVIEW_URL);
  });

  it.each(LOCALES)('asks for a recommendation instead when no review page is configured (%s)', async (locale) => {
    const rendered = await library.renderEmail('review-ask', locale, emailData({ locale }));
    expect(rendered.html).not.toContain('<a href=""');
    expect(rendered.text).toContain(locale === 'de' ? 'Ihre Empfehlung zählt' : 'a recommendation from you counts');
  });

  it('refuses a review URL that is not https', async () => {
    await expect(
      library.renderEmail('review-ask', 'en', emailData({ reviewUrl: 'http://reviews.example.com/x' })),
    ).rejects.toThrow(/not allowed: <a href="http:\/\/reviews\.example\.com\/x">/);
  });
});

/** What client/http/routes/survey-pages.ts gives the confirm page, plus the survey kind. */
const confirmData = (kind: SurveyKind, preselected: number) => ({
  title: 'Feedback',
  action: '/s/tok',
  comment: '',
  kind,
  scores: scaleScores(kind).map((score) => ({ score, selected: score === preselected })),
});

const PAGES: {
  kind: SurveyKind;
  preselected: number;
  question: Record<Locale, string>;
  labels: Record<Locale, [string, string]>;
}[] = [
  {
    kind: 'nps',
    preselected: 9,
    question: {
      en: 'How likely are you to recommend us to a friend or colleague?',
      de: 'Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen weiterempfehlen?',
    },
    labels: {
      en: ['0 = not at all likely', '10 = extremely likely'],
      de: ['0 = sehr unwahrscheinlich', '10 = sehr wahrscheinlich'],
    },
  },
  {
    kind: 'csat',
    preselected: 4,
    question: {
      en: 'How satisfied are you with how we handled your request?',
      de: 'Wie zufrieden sind Sie damit, wie wir Ihre Anfrage bearbeitet haben?',
    },
    labels: { en: ['1 = very dissatisfied', '5 = very satisfied'], de: ['1 = sehr unzufrieden', '5 = sehr zufrieden'] },
  },
  {
    kind: 'ces',
    preselected: 6,
    question: {
      en: 'The company made it easy to handle my issue.',
      de: 'Das Unternehmen hat es mir leicht gemacht, mein Anliegen zu erledigen.',
    },
    labels: {
      en: ['1 = strongly disagree', '7 = strongly agree'],
      de: ['1 = stimme überhaupt nicht zu', '7 = stimme voll und ganz zu'],
    },
  },
];

const ALL_QUESTIONS = PAGES.flatMap((page) => Object.values(page.question));

describe.each(PAGES)('the survey pages for $kind', ({ kind, preselected, question, labels }) => {
  const scores = scaleScores(kind);

  it.each(LOCALES)('confirm page (%s): the question, the scale labels and the form', (locale) => {
    const { html } = library.render('pages/survey-confirm', locale, confirmData(kind, preselected), {
      layout: 'page',
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<html lang="${locale}">`);
    expect(html).toContain(question[locale]);
    for (const other of ALL_QUESTIONS.filter((q) => q !== question[locale])) expect(html).not.toContain(other);
    for (const label of labels[locale]) expect(html).toContain(label);

    expect(html).toContain('<form method="post" action="/s/tok">');
    expect(html!.match(/<input type="radio" name="score"/g)).toHaveLength(scores.length);
    for (const score of scores) expect(html).toContain(`value="${score}"`);
    expect(html!.match(/ checked /g)).toHaveLength(1);
    expect(html).toMatch(new RegExp(`value="${preselected}" checked `));
    expect(html).toContain('<textarea id="comment" name="comment" maxlength="5000"></textarea>');
    expect(html).not.toContain('<script');
  });

  it.each(LOCALES)('thanks page (%s): the question, the answer on its scale, and that it can be changed', (locale) => {
    const { html } = library.render(
      'pages/survey-thanks',
      locale,
      { title: 'Feedback', kind, score: preselected },
      { layout: 'page' },
    );
    expect(html).toContain(question[locale]);
    for (const label of labels[locale]) expect(html).toContain(label);
    expect(html).toContain(
      locale === 'de'
        ? `Wir haben Ihre Antwort gespeichert: ${preselected} (`
        : `We have recorded your answer: ${preselected} (`,
    );
    expect(html).toContain(
      locale === 'de'
        ? 'Solange die Umfrage läuft, können Sie Ihre Antwort mit dem Link in der E-Mail noch ändern.'
        : 'While the survey is open, you can still change your answer with the link in the email.',
    );
  });
});

describe('the survey pages with more than the route gives today', () => {
  it('name the company in the CES statement when the page data has one', () => {
    const en = library.render(
      'pages/survey-confirm',
      'en',
      { ...confirmData('ces', 5), company: { name: 'Acme GmbH' } },
      { layout: 'page' },
    );
    expect(en.html).toContain('“Acme GmbH made it easy to handle my issue.”');
    const de = library.render(
      'pages/survey-thanks',
      'de',
      { title: 'Feedback', kind: 'ces', score: 5, company: { name: 'Acme GmbH' } },
      { layout: 'page' },
    );
    expect(de.html).toContain('„Acme GmbH hat es mir leicht gemacht, mein Anliegen zu erledigen.“');
  });

  it('show the NPS question when the page data has no kind (as the route sends it before issue 5)', () => {
    const withoutKind: Partial<ReturnType<typeof confirmData>> = confirmData('nps', 10);
    delete withoutKind.kind;
    const { html } = library.render('pages/survey-confirm', 'en', withoutKind, { layout: 'page' });
    expect(html).toContain('How likely are you to recommend us to a friend or colleague?');
    expect(html).toContain('0 = not at all likely');
  });
});
