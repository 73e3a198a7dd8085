import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RunStatus } from '../../../model/run';
import type { HttpDeps } from '../server';

const RunFilter = z
  .object({
    journey: z.string().min(1).optional(),
    customer: z.string().min(1).optional(),
    status: RunStatus.optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

export function runRoutes(app: FastifyInstance, { runs }: HttpDeps) {
  app.get('/v1/runs', async (request) => ({ runs: await runs.list(RunFilter.parse(request.query)) }));
  // Workflow ids contain slashes (journey/customer/key): take the rest of the path.
  app.get<{ Params: { '*': string } }>('/v1/runs/*', async (request) => runs.show(request.params['*']));
}
