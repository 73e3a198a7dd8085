import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Stores } from '../../activities/store';
import type { Mailer } from '../../activities/email/mailer';
import type { Sender } from '../../activities/email/message-data';
import type { TemplateLibrary } from '../../activities/email/templates';
import type { EventRouter } from '../event-router';
import type { Runs } from '../runs';
import type { SurveyAnswers } from '../survey-answers';
import type { GiftAddresses } from '../gift-addresses';
import type { ChurnModelCache } from '../../activities/scoring/churn-model-cache';
import { errorHandler } from './errors';
import { customerRoutes } from './routes/customers';
import { customerImportRoutes } from './routes/customer-import';
import { eventRoutes } from './routes/events';
import { inboxRoutes } from './routes/inbox';
import { journeyRoutes } from './routes/journeys';
import { metricsRoutes } from './routes/metrics';
import { giftRoutes } from './routes/gifts';
import { giftPageRoutes } from './routes/gift-pages';
import { runRoutes } from './routes/runs';
import { surveyPageRoutes } from './routes/survey-pages';
import { templateRoutes } from './routes/templates';
import { unsubscribeRoutes } from './routes/unsubscribe';
import { taskRoutes } from './routes/tasks';
import type { CrmTasks } from '../crm-tasks';
import { suppressionRoutes } from './routes/suppressions';
import { supportWebhookRoutes, type SupportWebhookConfig } from './routes/support-webhooks';
import { giftWebhookRoutes } from './routes/gift-webhooks';
import type { ContactPreferenceService } from '../contact-preferences';
import type { ChurnScans } from '../churn-scans';
import type { GiftCatalog } from '../../model/gift';
import { churnScanRoutes } from './routes/churn-scan';

export interface HttpDeps {
  stores: Stores;
  /** Churn base models per day for GET /v1/customers/:id/score; default: one with the default settings. */
  churnModels?: ChurnModelCache;
  router: EventRouter;
  runs: Runs;
  surveys: SurveyAnswers;
  /** The address-confirmation pages of physical gifts (/g/:token). */
  giftAddresses: GiftAddresses;
  preferences: ContactPreferenceService;
  tasks: CrmTasks;
  /** The daily churn scan's schedule. */
  churnScans: ChurnScans;
  /** The gift catalog: a published journey's gift steps must name its campaigns. */
  giftCatalog?: GiftCatalog;
  /** IMPORT_IDLE_TIMEOUT: an import whose upload sends nothing for this long is broken off (default 60 s). */
  importIdleMs?: number;
  templates: TemplateLibrary;
  /** For template previews (company, links) and test sends; without it, send-test answers 503. */
  email?: {
    mailer: Mailer;
    /** MAIL_FROM */
    from: string;
    company: Sender;
    /** PUBLIC_URL when configured; else previews use the address the request came to. */
    publicUrl?: string;
  };
  /** Zendesk / Freshdesk webhook secrets and the allowed signature age; without, both endpoints answer 503. */
  webhooks?: SupportWebhookConfig;
  /** GIFT_WEBHOOK_SECRET; without it POST /v1/webhooks/gifts answers 503. */
  giftWebhookSecret?: string;
}

/** The HTTP API: events in, customers, survey pages, runs, template previews and the inbox for admins. */
export async function buildHttpServer(deps: HttpDeps, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  // maxParamLength: signed page links carry their subject (a gift's run + step key) in the path, beyond the
  // default 100 characters.
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 1024 },
  });
  await app.register(formbody);
  // RFC 8058 allows the one-click unsubscribe POST as multipart/form-data; its content carries nothing we need.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));
  app.setErrorHandler(errorHandler);
  app.get('/health', async () => ({ ok: true }));
  customerRoutes(app, deps);
  eventRoutes(app, deps);
  runRoutes(app, deps);
  journeyRoutes(app, deps);
  inboxRoutes(app, deps);
  surveyPageRoutes(app, deps);
  giftPageRoutes(app, deps);
  templateRoutes(app, deps);
  unsubscribeRoutes(app, deps);
  taskRoutes(app, deps);
  churnScanRoutes(app, deps);
  suppressionRoutes(app, deps);
  // Its own plugin: the webhooks read raw bytes (signatures), everything else keeps JSON parsing.
  await app.register(supportWebhookRoutes, deps);
  await app.register(giftWebhookRoutes, deps);
  // Its own plugin too: the import reads a text/csv body as a stream.
  await app.register(customerImportRoutes, deps);
  metricsRoutes(app, deps);
  giftRoutes(app, deps);
  return app;
}
