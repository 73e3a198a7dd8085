import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  MetricsQuery,
  resolveWindow,
  resolveWinbackWindow,
  summarize,
  summarizeWinback,
  WinbackQuery,
} from '../../../model/metrics';
import { SurveyKind } from '../../../model/survey';
import type { HttpDeps } from '../server';

const KindParam = z.object({ kind: z.enum([...SurveyKind.options, 'winback']) });

/**
 * `GET /v1/metrics/nps|csat|ces?journey=&since=&until=&by=&minN=`: the score, n, response rate, margin of
 * error and significance per group and in total, for invitations created in [since, until).
 * `GET /v1/metrics/winback?journey=&since=&until=&by=period|version&minN=`: win-back rates of treated runs
 * and the holdout, the lift and its 95% interval, for runs started in [since, until). docs/metrics.md
 */
export function metricsRoutes(app: FastifyInstance, { stores }: HttpDeps) {
  app.get<{ Params: { kind: string } }>('/v1/metrics/:kind', async (request) => {
    const { kind } = KindParam.parse(request.params);
    if (kind === 'winback') {
      const window = resolveWinbackWindow(WinbackQuery.parse(request.query), new Date());
      const { groups, total } = summarizeWinback(await stores.winbackMetrics.counts(window), window.minN);
      return { ...window, groups: window.by ? groups : [], total };
    }
    const window = resolveWindow(kind, MetricsQuery.parse(request.query), new Date());
    const counts = await stores.surveyMetrics.counts(window);
    const { groups, total } = summarize(kind, counts, window.minN);
    // without `by` everything is one group, which would only repeat the total
    return { ...window, groups: window.by ? groups : [], total };
  });
}
