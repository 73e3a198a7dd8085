import type { FastifyInstance } from 'fastify';
import { CustomerId, CustomerInput } from '../../../model/customer';
import { z } from 'zod';
import type { HttpDeps } from '../server';

export function customerRoutes(app: FastifyInstance, { stores }: HttpDeps) {
  app.put<{ Params: { id: string } }>('/v1/customers/:id', async (request, reply) => {
    const { id } = z.object({ id: CustomerId }).parse(request.params);
    const input = CustomerInput.parse(request.body ?? {});
    const { customer, created } = await stores.customers.upsert(id, input);
    return reply.code(created ? 201 : 200).send(customer);
  });

  app.get<{ Params: { id: string } }>('/v1/customers/:id', async (request, reply) => {
    const customer = await stores.customers.get(request.params.id);
    if (!customer) {
      return reply.code(404).send({ error: 'not_found', message: `no customer "${request.params.id}"`, problems: [] });
    }
    const [preferences, suppression] = await Promise.all([
      stores.preferences.forCustomer(customer.id),
      stores.suppressions.find(customer.email),
    ]);
    // What the contact policy knows about this customer, besides caps: their stand per category and suppression.
    return { ...customer, contact: { preferences, suppression: suppression ?? null } };
  });
}
