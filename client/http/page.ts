import type { FastifyReply } from 'fastify';
import type { TemplateLibrary } from '../../activities/email/templates';

/** Sends a customer-facing page (templates/pages/<name>) in the customer's language, never cached. */
export function sendPage(
  reply: FastifyReply,
  templates: TemplateLibrary,
  status: number,
  name: string,
  locale: string,
  data: Record<string, unknown>,
) {
  const rendered = templates.render(`pages/${name}`, locale, data, { layout: 'page' });
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(rendered.html);
}
