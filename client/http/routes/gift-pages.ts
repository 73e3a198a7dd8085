import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AddressForm, AddressRejection, OpenedGift } from '../../gift-addresses';
import type { Problem } from '../../../model/validation';
import { sendPage } from '../page';
import type { HttpDeps } from '../server';

const STATUS: Record<AddressRejection, number> = {
  malformed: 400,
  forged: 400,
  unknown: 404,
  expired: 410,
  closed: 410,
  confirmed: 409,
};

/**
 * The address-confirmation link of a physical gift. A GET (or a mail scanner's HEAD) only shows the form;
 * only the POST of that form confirms the address, after which the gift is ordered.
 */
export function giftPageRoutes(app: FastifyInstance, { giftAddresses, templates }: HttpDeps) {
  const rejected = (reply: FastifyReply, reason: AddressRejection, locale = 'en') =>
    sendPage(reply, templates, STATUS[reason], 'gift-address-error', locale, { reason, title: 'Touchpoint' });
  const form = (
    reply: FastifyReply,
    status: number,
    token: string,
    opened: OpenedGift,
    fields: AddressForm,
    problems: Problem[] = [],
  ) =>
    sendPage(reply, templates, status, 'gift-address', opened.customer.locale, {
      title: opened.productName,
      action: `/g/${encodeURIComponent(token)}`,
      product: opened.productName,
      confirmBy: opened.confirmBy.toISOString().slice(0, 10),
      fields,
      problems,
      // per field, for the input's aria-invalid and the message under it
      errors: Object.fromEntries(problems.map((p) => [p.path, p.message])),
    });

  app.get<{ Params: { token: string } }>('/g/:token', async (request, reply) => {
    const opened = await giftAddresses.open(request.params.token);
    if (!opened.ok) return rejected(reply, opened.reason, opened.locale);
    return form(reply, 200, request.params.token, opened.opened, giftAddresses.prefill(opened.opened));
  });

  app.post<{ Params: { token: string } }>('/g/:token', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const result = await giftAddresses.confirm(request.params.token, body);
    if (result.ok) {
      return sendPage(reply, templates, 200, 'gift-address-thanks', result.opened.customer.locale, {
        title: result.opened.productName,
        product: result.opened.productName,
        address: result.address,
      });
    }
    if (result.reason === 'invalid') {
      return form(reply, 400, request.params.token, result.opened, result.form, result.problems);
    }
    return rejected(reply, result.reason, result.locale);
  });
}
