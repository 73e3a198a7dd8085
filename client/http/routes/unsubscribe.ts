import type { FastifyInstance, FastifyReply } from 'fastify';
import type { UnsubscribeCategory } from '../../../activities/policy/unsubscribe-token';
import { UNSUBSCRIBE_CATEGORIES, type OpenedPreferences } from '../../contact-preferences';
import type { HttpDeps } from '../server';
import { sendPage } from '../page';

const REJECTED: Record<Extract<OpenedPreferences, { ok: false }>['reason'], number> = {
  malformed: 400,
  forged: 400,
  unknown: 404,
};

/**
 * The unsubscribe link of every survey and marketing email (RFC 8058). A GET or HEAD only shows the
 * preference page (mail scanners open every link); the one-click POST, which mail providers send
 * without cookies or login, unsubscribes and answers 200 without a redirect.
 */
export function unsubscribeRoutes(app: FastifyInstance, { preferences, templates }: HttpDeps) {
  const rejected = (reply: FastifyReply, reason: keyof typeof REJECTED) =>
    sendPage(reply, templates, REJECTED[reason], 'preferences-error', 'en', { title: 'Touchpoint', reason });
  const showPreferences = (
    reply: FastifyReply,
    token: string,
    opened: Extract<OpenedPreferences, { ok: true }>,
    saved: boolean,
  ) =>
    sendPage(reply, templates, 200, 'preferences', opened.customer.locale, {
      title: 'Email preferences',
      email: opened.customer.email,
      saved,
      action: `/u/${encodeURIComponent(token)}`,
      categories: UNSUBSCRIBE_CATEGORIES.map((category) => ({
        category,
        subscribed: opened.subscribed[category],
        fromThisEmail: category === opened.category,
      })),
      unsubscribeCategory: opened.category,
    });

  app.get<{ Params: { token: string } }>('/u/:token', async (request, reply) => {
    const opened = await preferences.open(request.params.token);
    if (!opened.ok) return rejected(reply, opened.reason);
    return showPreferences(reply, request.params.token, opened, false);
  });

  app.post<{ Params: { token: string } }>('/u/:token', async (request, reply) => {
    const opened = await preferences.open(request.params.token);
    if (!opened.ok) return rejected(reply, opened.reason);
    await preferences.unsubscribe(opened.customer.id, opened.category, 'one-click');
    return sendPage(reply, templates, 200, 'unsubscribed', opened.customer.locale, {
      title: 'Unsubscribed',
      category: opened.category,
      email: opened.customer.email,
      preferences: `/u/${encodeURIComponent(request.params.token)}`,
    });
  });

  app.post<{ Params: { token: string }; Body: Partial<Record<UnsubscribeCategory, string>> }>(
    '/u/:token/preferences',
    async (request, reply) => {
      const opened = await preferences.open(request.params.token);
      if (!opened.ok) return rejected(reply, opened.reason);
      const body = (request.body ?? {}) as Partial<Record<UnsubscribeCategory, string>>;
      const wanted = Object.fromEntries(UNSUBSCRIBE_CATEGORIES.map((c) => [c, body[c] === 'on'])) as Record<
        UnsubscribeCategory,
        boolean
      >;
      await preferences.save(opened.customer.id, wanted, 'preference-page');
      const reopened = await preferences.open(request.params.token);
      if (!reopened.ok) return rejected(reply, reopened.reason);
      return showPreferences(reply, request.params.token, reopened, true);
    },
  );
}
