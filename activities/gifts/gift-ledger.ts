import type { ContactCategory } from '../../model/contact-policy';
import { ApplicationFailure } from '@temporalio/common';
import { localized, type GiftCatalog, type GiftData, type GiftStatus, type IneligibleCode } from '../../model/gift';
import type { GiftOrderRequest, ProviderOrder } from '../../model/gift-provider';
import { publicLink } from '../email/send-email';
import type { Stores } from '../store';
import { createAddressToken } from './address-token';
import { loadGiftCatalog } from './catalog';

/** What the gift step's activities need: the ledger, the catalog, and the link signing for address pages. */
export interface GiftLedgerDeps {
  stores: Stores;
  /** The catalog loaded at start-up (GIFT_CATALOG); default: the built-in gifts/catalog.yaml. */
  giftCatalog?: GiftCatalog;
  secret: string;
  publicUrl: string;
}

let builtIn: GiftCatalog | undefined;
const catalogOf = (deps: GiftLedgerDeps) => deps.giftCatalog ?? (builtIn ??= loadGiftCatalog());

export interface BookGiftInput {
  /** run + step: the ledger key, the provider's external_id */
  key: string;
  workflowId: string;
  journeyId: string;
  customerId: string;
  campaign: string;
  /** The step has a fixed value and currency: a campaign outside the catalog is a plain voucher. */
  fixedVoucher: boolean;
  /** The run's clock (workflow time): the budget period and the cooldown count from it. */
  now: string;
}

export type BookGiftResult =
  | {
      status: 'booked';
      gift: GiftData;
      ledgerStatus: GiftStatus;
      repeated: boolean;
      /** The campaign's consent category: what the address request is sent as. */
      consent: ContactCategory;
    }
  | { status: 'ineligible'; reason: string; code?: IneligibleCode }
  /** The campaign is not in the catalog and the step names a value: the plain voucher of old. */
  | { status: 'fixed-voucher' };

/** Decides eligibility and books the gift on the ledger (one transaction; a retry returns the first booking). */
export async function bookGift(deps: GiftLedgerDeps, input: BookGiftInput): Promise<BookGiftResult> {
  const catalog = catalogOf(deps);
  if (!catalog.campaigns.some((c) => c.id === input.campaign)) {
    if (input.fixedVoucher) return { status: 'fixed-voucher' };
    throw ApplicationFailure.nonRetryable(
      `campaign "${input.campaign}" is not in the gift catalog (known: ${catalog.campaigns.map((c) => c.id).join(', ')}); ` +
        'add it to the catalog (GIFT_CATALOG) or give the step a fixed "value" and "currency"',
      'GiftCatalogError',
    );
  }
  const booking = await deps.stores.gifts.book(catalog, { ...input, now: new Date(input.now) });
  if (booking.status === 'unknown-customer') {
    return { status: 'ineligible', reason: `customer ${input.customerId} no longer exists` };
  }
  if (booking.status === 'ineligible') {
    return { status: 'ineligible', reason: booking.reason.message, code: booking.reason.code };
  }
  const { gift, product } = booking;
  const locale = (await deps.stores.customers.get(input.customerId))?.locale ?? 'en';
  const campaign = catalogOf(deps).campaigns.find((c) => c.id === gift.campaign);
  return {
    status: 'booked',
    ledgerStatus: gift.status,
    repeated: booking.repeated,
    consent: campaign?.consent ?? 'marketing',
    gift: {
      key: gift.key,
      campaign: gift.campaign,
      productId: product.id,
      kind: product.kind,
      name: localized(product.name, locale),
      description: product.description && localized(product.description, locale),
      value: product.value,
      currency: product.currency,
      cost: gift.cost,
      costCurrency: gift.currency,
      code: gift.reward?.code,
      link: gift.reward?.link,
    },
  };
}

/**
 * A physical gift waits for its address: the ledger says so, and the signed link to the confirmation page
 * (valid until the run stops waiting) goes into the address-request email.
 */
export async function requestGiftAddress(
  deps: GiftLedgerDeps,
  input: { key: string; expiresAt: string },
): Promise<{ link: string }> {
  await deps.stores.gifts.setStatus(input.key, 'awaiting-address');
  const token = createAddressToken(deps.secret, input.key, new Date(input.expiresAt));
  return { link: publicLink(deps.publicUrl, `g/${token}`) };
}

/** The provider order for a booked gift: the product from the catalog, the recipient, the confirmed address. */
export async function giftOrderRequest(deps: GiftLedgerDeps, key: string): Promise<GiftOrderRequest> {
  const gift = await deps.stores.gifts.get(key);
  if (!gift) throw ApplicationFailure.nonRetryable(`no gift ${key} in the ledger`, 'GiftLedgerError');
  const product = catalogOf(deps).products.find((p) => p.id === gift.productId);
  if (!product) {
    throw ApplicationFailure.nonRetryable(
      `product ${gift.productId} of gift ${key} is no longer in the gift catalog; put it back or release the gift`,
      'GiftCatalogError',
    );
  }
  const customer = await deps.stores.customers.get(gift.customerId);
  if (!customer)
    throw ApplicationFailure.nonRetryable(`customer ${gift.customerId} no longer exists`, 'GiftLedgerError');
  if (product.kind === 'physical' && !gift.shippingAddress) {
    throw ApplicationFailure.nonRetryable(`gift ${key} has no confirmed shipping address`, 'GiftLedgerError');
  }
  return {
    externalId: key,
    recipient: { customerId: customer.id, email: customer.email, ...(customer.name ? { name: customer.name } : {}) },
    campaign: gift.campaign,
    product: { id: product.id, kind: product.kind, value: product.value, currency: product.currency },
    delivery: product.delivery ?? 'LINK',
    ...(gift.shippingAddress ? { shippingAddress: gift.shippingAddress } : {}),
  };
}

/** What a provider status means for the ledger. */
const LEDGER_STATUS: Record<ProviderOrder['status'], GiftStatus> = {
  'pending-approval': 'pending-approval',
  executed: 'ordered',
  delivered: 'delivered',
  failed: 'failed',
  canceled: 'failed',
};

/** Keeps what the provider answered on the ledger; a failed or canceled order gives its budget back. */
export async function recordGiftOrder(
  deps: GiftLedgerDeps,
  input: { key: string; order: ProviderOrder },
): Promise<{ status: GiftStatus }> {
  const { key, order } = input;
  const status = LEDGER_STATUS[order.status];
  if (status === 'failed') {
    const reason = order.failureReason ?? `the ${order.provider} order ${order.providerOrderId} was ${order.status}`;
    // failed holds no budget: this gives it back
    const failed = await deps.stores.gifts.setStatus(key, 'failed', {
      reason,
      provider: order.provider,
      providerOrderId: order.providerOrderId,
    });
    return { status: failed?.status ?? 'failed' };
  }
  const updated = await deps.stores.gifts.setStatus(key, status, {
    provider: order.provider,
    providerOrderId: order.providerOrderId,
    reward: order.reward,
  });
  return { status: updated?.status ?? status };
}

/** Gives a gift's budget back, with why: unclaimed (no address in time), failed, or released (the run ended). */
export async function releaseGift(
  deps: GiftLedgerDeps,
  input: { key: string; status: 'unclaimed' | 'failed' | 'released'; reason: string },
): Promise<{ status: GiftStatus }> {
  const gift = await deps.stores.gifts.release(input.key, input.status, input.reason);
  return { status: gift?.status ?? input.status };
}
