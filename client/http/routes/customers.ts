import type { FastifyInstance } from 'fastify';
import { CustomerId, CustomerInput } from '../../../model/customer';
import { z } from 'zod';
import type { HttpDeps } from '../server';
import { ChurnModelCache } from '../../../activities/scoring/churn-model-cache';
import { scoreChurn } from '../../../activities/scoring/score-churn';
import { DEFAULT_CHURN_SETTINGS } from '../../../model/churn';

export function customerRoutes(app: FastifyInstance, { stores, churnModels: shared }: HttpDeps) {
  const churnModels = shared ?? new ChurnModelCache(stores, DEFAULT_CHURN_SETTINGS);
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

  /**
   * One customer's churn-risk score explained: orders summary, RFM, P(alive), CLV, risk, reasons, and the base
   * model it was measured against (built once per UTC day, see docs/churn.md).
   */
  app.get<{ Params: { id: string }; Querystring: { asOf?: string } }>(
    '/v1/customers/:id/score',
    async (request, reply) => {
      const { id } = z.object({ id: CustomerId }).parse(request.params);
      const query = z
        .object({
          asOf: z.iso
            .datetime({ offset: true, error: 'must be an ISO date-time, e.g. 2026-05-07T00:00:00Z' })
            .optional(),
        })
        .parse(request.query);
      const asOf = new Date(query.asOf ? Date.parse(query.asOf) : Date.now()).toISOString();
      const [customer, orders] = await Promise.all([stores.customers.get(id), stores.orders.ofCustomer(id, asOf)]);
      if (!customer && orders.length === 0) {
        return reply
          .code(404)
          .send({ error: 'not_found', message: `no customer "${id}" and no orders for it`, problems: [] });
      }
      if (orders.length === 0) {
        return {
          customerId: id,
          asOf,
          score: null,
          explanation: `no orders as of ${asOf}: a customer is scored from their first order on`,
        };
      }
      const model = await churnModels.forDay(asOf);
      return { customerId: id, asOf, score: scoreChurn(model, orders, asOf), model };
    },
  );
}
