import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SuppressionInput, SuppressionReason } from '../../../model/contact-policy';
import type { HttpDeps } from '../server';

const Email = z.object({ email: z.email() });
const SuppressionFilter = z.object({
  reason: SuppressionReason.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** The suppression list: addresses no survey or marketing mail goes to (bounces, complaints, manual). */
export function suppressionRoutes(app: FastifyInstance, { stores }: HttpDeps) {
  app.get('/v1/suppressions', async (request) => ({
    suppressions: await stores.suppressions.list(SuppressionFilter.parse(request.query)),
  }));

  app.get<{ Params: { email: string } }>('/v1/suppressions/:email', async (request, reply) => {
    const { email } = Email.parse(request.params);
    const suppression = await stores.suppressions.find(email);
    if (!suppression) {
      return reply.code(404).send({ error: 'not_found', message: `${email} is not suppressed`, problems: [] });
    }
    return suppression;
  });

  app.put<{ Params: { email: string } }>('/v1/suppressions/:email', async (request, reply) => {
    const { email } = Email.parse(request.params);
    const input = SuppressionInput.parse(request.body ?? {});
    const { suppression, created } = await stores.suppressions.add(email, { ...input, source: 'api' });
    return reply.code(created ? 201 : 200).send(suppression);
  });

  app.delete<{ Params: { email: string } }>('/v1/suppressions/:email', async (request, reply) => {
    const { email } = Email.parse(request.params);
    if (!(await stores.suppressions.remove(email))) {
      return reply.code(404).send({ error: 'not_found', message: `${email} is not suppressed`, problems: [] });
    }
    return reply.code(204).send();
  });
}
