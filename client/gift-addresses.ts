import { createHash } from 'node:crypto';
import type { Customer } from '../model/customer';
import { countryOf, localized, type GiftCatalog } from '../model/gift';
import { ShippingAddress } from '../model/gift-provider';
import type { Problem } from '../model/validation';
import { problemsOf } from '../model/validation';
import type { Stores } from '../activities/store';
import type { LedgerGift } from '../activities/store/gifts';
import { verifyAddressToken } from '../activities/gifts/address-token';
import type { EventRouter } from './event-router';

export type AddressRejection = 'malformed' | 'forged' | 'expired' | 'unknown' | 'closed' | 'confirmed';

/** The form's fields, as the page shows them (strings; optional ones empty). */
export type AddressForm = Record<'name' | 'line1' | 'line2' | 'postalCode' | 'city' | 'region' | 'country', string>;

export interface OpenedGift {
  gift: LedgerGift;
  customer: Customer;
  /** The product's name in the customer's language. */
  productName: string;
  confirmBy: Date;
}

export type AddressResult =
  | { ok: true; opened: OpenedGift; address: ShippingAddress }
  | { ok: false; reason: 'invalid'; opened: OpenedGift; form: AddressForm; problems: Problem[] }
  | { ok: false; reason: AddressRejection; locale?: string };

const FIELDS = ['name', 'line1', 'line2', 'postalCode', 'city', 'region', 'country'] as const;

/**
 * The address-confirmation page's logic for physical gifts. A GET only opens (verifies) the signed link and
 * prefills the form; only `confirm` (a human's POST) stores the address on the gift and routes
 * `gift.address_confirmed` to the run, which then places the order with it.
 */
export class GiftAddresses {
  constructor(
    private readonly deps: { stores: Stores; router: EventRouter; secret: string; catalog: () => GiftCatalog },
  ) {}

  async open(
    token: string,
  ): Promise<{ ok: true; opened: OpenedGift } | { ok: false; reason: AddressRejection; locale?: string }> {
    const check = verifyAddressToken(this.deps.secret, token);
    if (!check.ok) return check;
    const gift = await this.deps.stores.gifts.get(check.giftKey);
    const customer = gift && (await this.deps.stores.customers.get(gift.customerId));
    if (!gift || !customer) return { ok: false, reason: 'unknown' };
    if (gift.status !== 'awaiting-address' || gift.shippingAddress !== undefined) {
      const done = gift.shippingAddress !== undefined && !['unclaimed', 'released'].includes(gift.status);
      return { ok: false, reason: done ? 'confirmed' : 'closed', locale: customer.locale };
    }
    const product = this.deps.catalog().products.find((p) => p.id === gift.productId);
    return {
      ok: true,
      opened: {
        gift,
        customer,
        productName: product ? localized(product.name, customer.locale) : (gift.productId ?? 'gift'),
        confirmBy: check.expiresAt,
      },
    };
  }

  /** The form as first shown: an address posted before, else what the customer record knows. */
  prefill(opened: OpenedGift): AddressForm {
    const { customer, gift } = opened;
    const known = (gift.shippingAddress ?? addressAttributes(customer)) as Partial<Record<string, unknown>>;
    const form = Object.fromEntries(
      FIELDS.map((field) => [field, typeof known[field] === 'string' ? (known[field] as string) : '']),
    ) as AddressForm;
    if (!form.name) form.name = customer.name ?? '';
    if (!form.country) form.country = countryOf(customer) ?? '';
    return form;
  }

  /** Validates the posted form; a valid address is kept on the gift and routed to the run. */
  async confirm(token: string, body: Record<string, unknown>): Promise<AddressResult> {
    const opened = await this.open(token);
    if (!opened.ok) return opened;
    const form = Object.fromEntries(
      FIELDS.map((field) => [field, typeof body[field] === 'string' ? (body[field] as string).trim() : '']),
    ) as AddressForm;
    const parsed = ShippingAddress.safeParse({
      ...Object.fromEntries(Object.entries(form).filter(([, value]) => value !== '')),
      country: form.country.toUpperCase(),
    });
    if (!parsed.success) {
      return { ok: false, reason: 'invalid', opened: opened.opened, form, problems: problemsOf(parsed.error) };
    }
    const { gift } = opened.opened;
    const stored = await this.deps.stores.gifts.confirmAddress(gift.key, parsed.data);
    if (!stored) {
      // Another POST confirmed it a moment ago, or the gift was closed meanwhile.
      const now = await this.deps.stores.gifts.get(gift.key);
      const reason = now?.shippingAddress !== undefined ? 'confirmed' : 'closed';
      return { ok: false, reason, locale: opened.opened.customer.locale };
    }
    // One event per gift (the address is kept once), however often the event is routed.
    await this.deps.router.route({
      id: `gift-address:${createHash('sha256').update(gift.key).digest('base64url').slice(0, 32)}`,
      type: 'gift.address_confirmed',
      customerId: gift.customerId,
      data: { giftKey: gift.key, address: parsed.data },
    });
    return { ok: true, opened: opened.opened, address: parsed.data };
  }
}

/** customer.attributes.address ({ line1, postalCode, city, country, ... }) when the CRM keeps one. */
function addressAttributes(customer: Customer): Record<string, unknown> {
  const { address } = customer.attributes;
  return address && typeof address === 'object' && !Array.isArray(address) ? (address as Record<string, unknown>) : {};
}
