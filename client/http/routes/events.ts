import type { FastifyInstance } from 'fastify';
import { EventInput } from '../../../model/event';
import type { HttpDeps } from '../server';

export function eventRoutes(app: FastifyInstance, { router }: HttpDeps) {
  /** 202: accepted; `started` lists the runs it started, `existing` the ones that already were. */
  app.post('/v1/events', async (request, reply) => {
    const event = EventInput.parse(request.body);
    const result = await router.route(event);
    return reply.code(202).send(result);
  });
}
