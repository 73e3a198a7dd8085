import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SupportTicketEvent } from '../../../model/support-webhook';
import { errorHandler } from '../errors';
import type { HttpDeps } from '../server';
import { parseFreshdeskWebhook, verifyFreshdeskSecret, FRESHDESK_SECRET_HEADER } from '../../webhooks/freshdesk';
import { TicketEvents, WebhookNotConfigured, WebhookUnauthorized } from '../../webhooks/ticket-events';
import {
  parseZendeskWebhook,
  verifyZendeskSignature,
  ZENDESK_SIGNATURE_HEADER,
  ZENDESK_TIMESTAMP_HEADER,
} from '../../webhooks/zendesk';

/** Webhook settings from the configuration; an unset secret turns its endpoint off (503). */
export interface SupportWebhookConfig {
  /** ZENDESK_WEBHOOK_SECRET */
  zendeskSecret?: string;
  /** FRESHDESK_WEBHOOK_SECRET */
  freshdeskSecret?: string;
  /** WEBHOOK_MAX_AGE in ms */
  maxAgeMs: number;
}

/**
 * `POST /v1/webhooks/zendesk` and `POST /v1/webhooks/freshdesk`, registered as an encapsulated plugin:
 * here every body arrives as raw bytes (a signature covers the exact bytes, which re-serialised JSON would
 * not reproduce), while the rest of the API keeps its JSON and form parsing.
 * Order inside each route: credentials → parse → act, so an unauthenticated call records nothing.
 */
export async function supportWebhookRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, 'stores' | 'router'> & { webhooks?: SupportWebhookConfig },
): Promise<void> {
  const config: SupportWebhookConfig = deps.webhooks ?? { maxAgeMs: 5 * 60_000 };
  const tickets = new TicketEvents({ stores: deps.stores, router: deps.router });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler(webhookErrorHandler);

  const rawBodyOf = (request: FastifyRequest) => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
  const header = (request: FastifyRequest, name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const answer = async (reply: FastifyReply, ticket: SupportTicketEvent) =>
    reply.code(202).send(await tickets.handle(ticket));

  app.post('/v1/webhooks/zendesk', async (request, reply) => {
    if (!config.zendeskSecret) throw new WebhookNotConfigured('ZENDESK_WEBHOOK_SECRET');
    const rawBody = rawBodyOf(request);
    verifyZendeskSignature({
      secret: config.zendeskSecret,
      rawBody,
      signature: header(request, ZENDESK_SIGNATURE_HEADER),
      timestamp: header(request, ZENDESK_TIMESTAMP_HEADER),
      maxAgeMs: config.maxAgeMs,
    });
    return answer(reply, parseZendeskWebhook(rawBody));
  });

  app.post('/v1/webhooks/freshdesk', async (request, reply) => {
    if (!config.freshdeskSecret) throw new WebhookNotConfigured('FRESHDESK_WEBHOOK_SECRET');
    verifyFreshdeskSecret(config.freshdeskSecret, header(request, FRESHDESK_SECRET_HEADER));
    return answer(reply, parseFreshdeskWebhook(rawBodyOf(request)));
  });
}

/** The API's error shape, plus 401 for bad credentials and 503 for an unconfigured endpoint. */
function webhookErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof WebhookUnauthorized) {
    request.log.warn({ url: request.url }, `webhook refused: ${error.message}`);
    return reply.code(401).send({ error: 'unauthorized', message: error.message, problems: [] });
  }
  if (error instanceof WebhookNotConfigured) {
    return reply.code(503).send({ error: 'not_configured', message: error.message, problems: [] });
  }
  return errorHandler(error, request, reply);
}
