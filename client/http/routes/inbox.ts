import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HttpDeps } from '../server';

const InboxFilter = z.object({
  to: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** The built-in SMTP sink's inbox (the default transport): what Touchpoint "sent". */
export function inboxRoutes(app: FastifyInstance, { stores }: HttpDeps) {
  app.get('/v1/inbox', async (request) => ({ messages: await stores.inbox.list(InboxFilter.parse(request.query)) }));

  app.get<{ Params: { id: string } }>('/v1/inbox/:id', async (request, reply) => {
    const message = await stores.inbox.get(Number(request.params.id));
    if (!message)
      return reply.code(404).send({ error: 'not_found', message: `no message ${request.params.id}`, problems: [] });
    return message;
  });

  /** The message exactly as the sink received it (RFC 5322), headers included. */
  app.get<{ Params: { id: string } }>('/v1/inbox/:id/raw', async (request, reply) => {
    const raw = await stores.inbox.raw(Number(request.params.id));
    if (raw === undefined)
      return reply.code(404).send({ error: 'not_found', message: `no message ${request.params.id}`, problems: [] });
    return reply.type('message/rfc822').send(raw);
  });

  /** The HTML part as a page, to click the links in a browser. */
  app.get<{ Params: { id: string } }>('/v1/inbox/:id/html', async (request, reply) => {
    const message = await stores.inbox.get(Number(request.params.id));
    if (!message?.html)
      return reply.code(404).send({ error: 'not_found', message: 'no such HTML message', problems: [] });
    return reply.type('text/html; charset=utf-8').send(message.html);
  });
}
