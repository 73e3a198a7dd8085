import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HttpDeps } from '../server';

const TaskFilter = z.object({
  customer: z.string().min(1).optional(),
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Follow-up tasks of the built-in CRM: list them, close one (which tells the run waiting for it). */
export function taskRoutes(app: FastifyInstance, { tasks }: HttpDeps) {
  app.get('/v1/tasks', async (request) => {
    const filter = TaskFilter.parse(request.query);
    return { tasks: await tasks.list({ customerId: filter.customer, status: filter.status, limit: filter.limit }) };
  });

  // Task keys contain "/" (run + step): send them URL-encoded.
  app.post<{ Params: { key: string } }>('/v1/tasks/:key/close', async (request) => tasks.close(request.params.key));
}
