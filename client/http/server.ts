import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Stores } from '../../activities/store';
import type { TemplateLibrary } from '../../activities/email/templates';
import type { EventRouter } from '../event-router';
import type { Runs } from '../runs';
import type { SurveyAnswers } from '../survey-answers';
import { errorHandler } from './errors';
import { customerRoutes } from './routes/customers';
import { eventRoutes } from './routes/events';
import { inboxRoutes } from './routes/inbox';
import { journeyRoutes } from './routes/journeys';
import { runRoutes } from './routes/runs';
import { surveyPageRoutes } from './routes/survey-pages';

export interface HttpDeps {
  stores: Stores;
  router: EventRouter;
  runs: Runs;
  surveys: SurveyAnswers;
  templates: TemplateLibrary;
}

/** The HTTP API: events in, customers, survey pages, runs and the inbox for admins. */
export async function buildHttpServer(deps: HttpDeps, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 });
  await app.register(formbody);
  app.setErrorHandler(errorHandler);
  app.get('/health', async () => ({ ok: true }));
  customerRoutes(app, deps);
  eventRoutes(app, deps);
  runRoutes(app, deps);
  journeyRoutes(app, deps);
  inboxRoutes(app, deps);
  surveyPageRoutes(app, deps);
  return app;
}
