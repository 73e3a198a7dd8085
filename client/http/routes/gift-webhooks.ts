import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GiftStatusReport } from '../../../model/gift-provider';
import { errorHandler } from '../errors';
import type { HttpDeps } from '../server';
import { WebhookUnauthorized } from '../../webhooks/ticket-events';
import {
  GIFT_SECRET_HEADER,
  GiftNotFound,
  GiftStatusConflict,
  GiftStatusReports,
  verifyGiftWebhookSecret,
} from '../../webhooks/gift-status';

/**
 * `POST /v1/webhooks/gifts`: a gift's status reported back (delivered / failed), authenticated by the shared
 * secret in X-Touchpoint-Secret (GIFT_WEBHOOK_SECRET; unset → 503). Order: credentials → parse → act, so an
 * unauthenticated call changes nothing. Registered as a plugin for its own error answers (401/404/409/503).
 */
export async function giftWebhookRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, 'stores' | 'router'> & { giftWebhookSecret?: string },
): Promise<void> {
  const reports = new GiftStatusReports({ stores: deps.stores, router: deps.router });
  app.setErrorHandler(giftWebhookErrorHandler);

  app.post('/v1/webhooks/gifts', async (request, reply) => {
    if (!deps.giftWebhookSecret) {
      return reply.code(503).send({
        error: 'not_configured',
        message:
          'this webhook is not configured: set GIFT_WEBHOOK_SECRET (see docs/gift-providers.md); until then every ' +
          "report is refused, because an unverified call could mark anyone's gift as delivered",
        problems: [],
      });
    }
    const secret = request.headers[GIFT_SECRET_HEADER];
    verifyGiftWebhookSecret(deps.giftWebhookSecret, Array.isArray(secret) ? secret[0] : secret);
    const report = GiftStatusReport.parse(request.body ?? {});
    return reply.code(202).send(await reports.handle(report));
  });
}

function giftWebhookErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof WebhookUnauthorized) {
    request.log.warn({ url: request.url }, `gift webhook refused: ${error.message}`);
    return reply.code(401).send({ error: 'unauthorized', message: error.message, problems: [] });
  }
  if (error instanceof GiftNotFound) {
    return reply
      .code(404)
      .send({ error: 'not_found', message: error.message, problems: [{ path: 'giftKey', message: error.message }] });
  }
  if (error instanceof GiftStatusConflict) {
    return reply
      .code(409)
      .send({ error: 'conflict', message: error.message, problems: [{ path: 'status', message: error.message }] });
  }
  return errorHandler(error, request, reply);
}
