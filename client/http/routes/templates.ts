import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { messageData, type Sender } from '../../../activities/email/message-data';
import { TemplateError, type RenderedEmail } from '../../../activities/email/templates';
import type { HttpDeps } from '../server';

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const PreviewBody = z.object({
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en, de or de-CH')
    .default('en'),
  /** Merged over the sample variables: a preview needs only the template's own (usually data.*). */
  data: z.record(z.string(), z.unknown()).default({}),
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
});
const SendTestBody = PreviewBody.extend({ to: z.email() });
type PreviewBody = z.infer<typeof PreviewBody>;

const DEFAULT_COMPANY: Sender = { name: 'Touchpoint', address: '' };

/**
 * Template previews for writers: render a template with sample standard variables (customer, company,
 * links, survey) plus the data given, strictly, as a customer would get it; or send that to a test address.
 */
export function templateRoutes(app: FastifyInstance, { templates, email }: HttpDeps) {
  const publicUrlOf = (request: FastifyRequest) => email?.publicUrl ?? `${request.protocol}://${request.host}`;

  const renderPreview = async (request: FastifyRequest, reply: FastifyReply, name: string, body: PreviewBody) => {
    if (!templates.has(name)) {
      reply.code(404).send({ error: 'not_found', message: `no template "${name}"`, problems: [] });
      return undefined;
    }
    const publicUrl = publicUrlOf(request);
    const data = deepMerge(sampleData(body, email?.company ?? DEFAULT_COMPANY, publicUrl), body.data);
    try {
      return await templates.renderEmail(name, body.locale, data, { timeZone: body.timeZone, publicUrl });
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      reply.code(400).send({
        error: 'invalid_request',
        message: error.message,
        problems: [{ path: `template ${name} (${error.locale ?? body.locale})`, message: error.message }],
      });
      return undefined;
    }
  };

  app.get('/v1/templates', async () => ({ templates: templates.list() }));

  app.post<{ Params: { name: string } }>('/v1/templates/:name/preview', async (request, reply) => {
    const body = PreviewBody.parse(request.body ?? {});
    const rendered = await renderPreview(request, reply, request.params.name, body);
    if (!rendered) return reply;
    return { template: request.params.name, ...pick(rendered) };
  });

  app.post<{ Params: { name: string } }>('/v1/templates/:name/send-test', async (request, reply) => {
    const body = SendTestBody.parse(request.body ?? {});
    if (!email) {
      return reply.code(503).send({ error: 'unavailable', message: 'no mailer is configured', problems: [] });
    }
    const rendered = await renderPreview(request, reply, request.params.name, body);
    if (!rendered) return reply;
    const domain = /@([^>\s]+)/.exec(email.from)?.[1] ?? 'touchpoint.local';
    const messageId = `<test-${randomUUID()}@${domain}>`;
    await email.mailer.send({
      messageId,
      from: email.from,
      to: body.to,
      subject: `[Test] ${rendered.subject}`,
      html: rendered.html,
      text: rendered.text,
    });
    return { messageId, to: body.to };
  });
}

const pick = ({ locale, subject, html, text }: RenderedEmail) => ({ locale, subject, html, text });

/** The standard variables (see messageData) with sample values in the requested locale. */
function sampleData(body: PreviewBody, company: Sender, publicUrl: string): Record<string, unknown> {
  const base = publicUrl.replace(/\/+$/, '');
  const german = body.locale.toLowerCase().startsWith('de');
  const customer = {
    id: 'preview',
    name: german ? 'Alex Beispiel' : 'Alex Example',
    email: 'alex@example.com',
    locale: body.locale,
    timeZone: body.timeZone,
    attributes: {},
  };
  const links = { unsubscribe: `${base}/u/preview`, preferences: `${base}/u/preview` };
  return messageData(customer, { company, links, survey: { kind: 'nps', url: `${base}/s/preview` } });
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Objects merge key by key (so `{ customer: { name } }` keeps the sample email); anything else replaces. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? deepMerge(merged[key], value) : value;
  }
  return merged;
}
