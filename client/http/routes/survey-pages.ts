import type { FastifyInstance, FastifyReply } from 'fastify';
import { scaleScores } from '../../../model/survey';
import type { SurveyRejection } from '../../survey-answers';
import { sendPage } from '../page';
import type { HttpDeps } from '../server';

const STATUS: Record<SurveyRejection, number> = {
  malformed: 400,
  forged: 400,
  'invalid-score': 400,
  unknown: 404,
  expired: 410,
  closed: 410,
};

/**
 * The survey links. Mail scanners open every link (and may run scripts): a GET or HEAD only shows a
 * confirm page with the score preselected; only the POST of that form records the answer.
 */
export function surveyPageRoutes(app: FastifyInstance, { surveys, templates }: HttpDeps) {
  const page = (reply: FastifyReply, status: number, name: string, locale: string, data: Record<string, unknown>) =>
    sendPage(reply, templates, status, name, locale, data);
  const rejected = (reply: FastifyReply, reason: SurveyRejection, locale = 'en') =>
    page(reply, STATUS[reason], 'survey-error', locale, { reason, title: 'Touchpoint' });

  app.get<{ Params: { token: string }; Querystring: { score?: string } }>('/s/:token', async (request, reply) => {
    const opened = await surveys.open(request.params.token);
    if (!opened.ok) return rejected(reply, opened.reason);
    const { invitation } = opened;
    const preselected = Number(request.query.score);
    return page(reply, 200, 'survey-confirm', invitation.locale, {
      title: 'Feedback',
      kind: invitation.kind,
      action: `/s/${encodeURIComponent(request.params.token)}`,
      comment: '',
      scores: scaleScores(invitation.kind).map((score) => ({ score, selected: score === preselected })),
    });
  });

  app.post<{ Params: { token: string }; Body: { score?: string; comment?: string } }>(
    '/s/:token',
    async (request, reply) => {
      const body = (request.body ?? {}) as { score?: string; comment?: string };
      const score = body.score === undefined || body.score === '' ? NaN : Number(body.score);
      const result = await surveys.answer(request.params.token, score, body.comment);
      if (!result.ok) return rejected(reply, result.reason, result.invitation?.locale);
      return page(reply, 200, 'survey-thanks', result.invitation.locale, {
        title: 'Feedback',
        kind: result.invitation.kind,
        score,
      });
    },
  );
}
