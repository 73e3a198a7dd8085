import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { EventInput } from '../../../model/event';
import { GiftBudgetQuery, GiftListQuery } from '../../../model/gift-report';
import { GiftRequestInput, type GiftRequested } from '../../../model/gift-request';
import type { HttpDeps } from '../server';

/** The event a gift request becomes; its id derives from the request id, so a retried request starts nothing new. */
export function giftRequestedEvent(input: GiftRequestInput, requestId: string): EventInput {
  const data: GiftRequested = {
    requestId,
    campaign: input.campaign,
    reason: input.reason,
    ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
  };
  return { id: `gift-request:${requestId}`, type: 'gift.requested', customerId: input.customerId, data };
}

/**
 * Gifts for admins: `GET /v1/gifts` (the ledger, newest first, paged), `GET /v1/gifts/budgets` (budget use per
 * campaign and period) and `POST /v1/gifts/requests` (a manual gift.requested event). docs/gifts.md
 */
export function giftRoutes(app: FastifyInstance, { stores, router }: HttpDeps) {
  app.get('/v1/gifts', async (request) => stores.giftReports.list(GiftListQuery.parse(request.query)));

  app.get('/v1/gifts/budgets', async (request) => ({
    budgets: await stores.giftReports.budgets(GiftBudgetQuery.parse(request.query)),
  }));

  /** 202: the event was routed; `started` names the gift-request run (or `existing` for a repeated request id). */
  app.post('/v1/gifts/requests', async (request, reply) => {
    const input = GiftRequestInput.parse(request.body);
    const requestId = input.requestId ?? randomUUID();
    const result = await router.route(giftRequestedEvent(input, requestId));
    return reply.code(202).send({ requestId, ...result });
  });
}
