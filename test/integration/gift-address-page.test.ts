import type { Touchpoint } from '../../client/app';
import type { RunDetail } from '../../client/runs';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

const GIFT_SECRET = 'gift-webhook-secret-for-tests';

/**
 * A physical gift on the real stack (built-in thank-you journey, built-in catalog and provider): the address
 * request email carries a signed link; the page prefills what the customer record knows, shows what is wrong
 * with a bad form, and only a valid POST confirms; the order is then placed with that address.
 */
describe('the address-confirmation page of a physical gift', () => {
  let touchpoint: Touchpoint;
  beforeAll(async () => {
    touchpoint = await startTestTouchpoint({ GIFT_WEBHOOK_SECRET: GIFT_SECRET });
  });
  afterAll(() => touchpoint?.stop());

  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${touchpoint.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const run = async (id: string) => (await (await api('GET', `/v1/runs/${id}`)).json()) as RunDetail;
  const inbox = async (to: string) =>
    ((await (await api('GET', `/v1/inbox?to=${to}`)).json()) as { messages: { subject: string; text: string }[] })
      .messages;
  const form = (link: string, fields: Record<string, string>) =>
    fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  it('confirms the address by a POST to the page, then orders the gift box with it', async () => {
    await touchpoint.stores.customers.upsert('pia', {
      email: 'pia@example.com',
      name: 'Pia Platin',
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
      attributes: { tier: 'platinum', address: { line1: 'Alte Straße 1', postalCode: '10115', city: 'Berlin' } },
      consent: { marketing: 'granted' },
    });
    const routed = await api('POST', '/v1/events', {
      id: 'pia-fifth-order',
      type: 'milestone.reached',
      customerId: 'pia',
      data: { milestone: 'order-count-5', kind: 'order-count' },
    });
    expect(routed.status).toBe(202);
    const workflowId = 'thank-you-gift/pia/order-count-5';
    const giftKey = `${workflowId}/gift`;

    const [request] = await eventually(async () => {
      const mails = await inbox('pia@example.com');
      return mails.length ? mails : undefined;
    }, 'the address request');
    const link = /(http:\/\/localhost:\d+\/g\/[A-Za-z0-9_.-]+)/.exec(request.text)![1];
    expect(await touchpoint.stores.gifts.get(giftKey)).toMatchObject({
      status: 'awaiting-address',
      productId: 'gift-box-dach',
    });

    // A scanner's HEAD and a GET only show the form, prefilled from the customer record.
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Touchpoint-Geschenkbox');
    expect(html).toContain('value="Pia Platin"');
    expect(html).toContain('value="Alte Straße 1"');
    expect(html).toContain('value="10115"');
    expect(html).toContain('value="DE"'); // the country of the locale de-DE

    // A form with problems: 400, the form again with the messages, nothing stored or ordered.
    const bad = await form(link, {
      name: 'Pia Platin',
      line1: 'Neue Straße 2',
      postalCode: '10117',
      city: '',
      country: 'Deutschland',
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('value="Neue Straße 2"');
    expect(badHtml).toMatch(/city: /);
    expect(badHtml).toContain('country: must be an ISO 3166-1 alpha-2 country code in capitals, e.g. DE');
    expect((await touchpoint.stores.gifts.get(giftKey))?.shippingAddress).toBeUndefined();
    expect((await run(workflowId)).status).toBe('running');

    const good = await form(link, {
      name: 'Pia Platin',
      line1: 'Neue Straße 2',
      postalCode: '10117',
      city: 'Berlin',
      country: 'de',
    });
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('Neue Straße 2<br />10117 Berlin<br />DE');
    // Confirmed once: a second POST (or whoever else has the link) cannot redirect the parcel.
    const other = await form(link, {
      name: 'Mallory',
      line1: 'Elsewhere 9',
      postalCode: '20095',
      city: 'Hamburg',
      country: 'DE',
    });
    expect(other.status).toBe(409);
    expect((await touchpoint.stores.gifts.get(giftKey))?.shippingAddress).toMatchObject({ line1: 'Neue Straße 2' });

    const address = { name: 'Pia Platin', line1: 'Neue Straße 2', postalCode: '10117', city: 'Berlin', country: 'DE' };
    const ordered = await eventually(async () => {
      const gift = await touchpoint.stores.gifts.get(giftKey);
      return gift?.status === 'ordered' ? gift : undefined;
    }, 'the gift to be ordered');
    expect(ordered).toMatchObject({ shippingAddress: address, provider: 'builtin' });
    // the provider's order carries the address (the built-in provider keeps whole orders)
    expect(await touchpoint.stores.giftOrders.get(giftKey)).toMatchObject({ shippingAddress: address });

    // The link is used up: the page says so and changes nothing.
    const again = await fetch(link);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Ihre Adresse ist bereits bestätigt');

    // Fulfilment reports the parcel delivered: the run thanks the customer and ends.
    const report = await api(
      'POST',
      '/v1/webhooks/gifts',
      { giftKey, status: 'delivered' },
      { 'x-touchpoint-secret': GIFT_SECRET },
    );
    expect(report.status).toBe(202);
    const done = await eventually(async () => {
      const detail = await run(workflowId);
      return detail.status === 'completed' ? detail : undefined;
    }, 'the run to complete');
    expect(done.state?.outcome).toBe('thanked');
    expect(done.state?.timeline.filter((e) => e.step === 'gift').map((e) => e.kind)).toEqual([
      'gift',
      'sent',
      'waiting',
      'event',
      'gift',
      'waiting',
      'gift',
    ]);
    const mails = await inbox('pia@example.com');
    expect(mails.length).toBe(2);
    // The thank-you says where the gift ships: the address the customer confirmed.
    expect(done.state?.data.gift).toMatchObject({ shippingAddress: address });
    expect(mails[0].text).toContain('Neue Straße 2');
    expect(mails[0].text).toContain('10117 Berlin');
  });

  it('refuses a forged or broken link with a clear page and changes nothing', async () => {
    const forged = await fetch(
      `${touchpoint.url}/g/${Buffer.from('x/y/gift').toString('base64url')}.9999999999.${'A'.repeat(43)}`,
    );
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('This link is not valid');
    const broken = await fetch(`${touchpoint.url}/g/nonsense`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=X',
    });
    expect(broken.status).toBe(400);
  });
});
