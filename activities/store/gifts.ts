import type { ShippingAddress, GiftReward } from '../../model/gift-provider';
import {
  BUDGET_HOLDING_STATUSES,
  checkEligibility,
  chooseGift,
  type GiftCatalog,
  type GiftProduct,
  type GiftStatus,
  type IneligibleReason,
} from '../../model/gift';
import { periodKey } from '../../model/period';
import { decideContact } from '../policy/contact-policy';
import { ContactPreferences } from './contact-preferences';
import type { Database, Queryable } from './database';
import { Suppressions } from './suppressions';

/** One row of the gift ledger (table `gifts`). */
export interface LedgerGift {
  /** run + step: the booking's idempotency key and the provider's external_id */
  key: string;
  workflowId: string;
  journeyId: string;
  customerId: string;
  campaign: string;
  /** The budget period the cost is booked in, e.g. 2026-11. */
  period: string;
  productId?: string;
  kind?: 'digital' | 'physical';
  cost: number;
  currency: string;
  status: GiftStatus;
  reason?: string;
  provider?: string;
  providerOrderId?: string;
  reward?: GiftReward;
  shippingAddress?: ShippingAddress;
  createdAt: string;
  updatedAt: string;
}

/** A `gifts` row as the database gives it (numeric as text). */
export interface GiftRow {
  key: string;
  workflow_id: string;
  journey_id: string;
  customer_id: string;
  campaign: string;
  period: string;
  product_id: string | null;
  kind: 'digital' | 'physical' | null;
  cost: string;
  currency: string;
  status: GiftStatus;
  reason: string | null;
  provider: string | null;
  provider_order_id: string | null;
  reward: GiftReward | null;
  shipping_address: ShippingAddress | null;
  created_at: Date;
  updated_at: Date;
}

const toGift = (row: GiftRow): LedgerGift => ({
  key: row.key,
  workflowId: row.workflow_id,
  journeyId: row.journey_id,
  customerId: row.customer_id,
  campaign: row.campaign,
  period: row.period,
  productId: row.product_id ?? undefined,
  kind: row.kind ?? undefined,
  cost: Number(row.cost),
  currency: row.currency,
  status: row.status,
  reason: row.reason ?? undefined,
  provider: row.provider ?? undefined,
  providerOrderId: row.provider_order_id ?? undefined,
  reward: row.reward ?? undefined,
  shippingAddress: row.shipping_address ?? undefined,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

export interface BookingRequest {
  key: string;
  workflowId: string;
  journeyId: string;
  customerId: string;
  campaign: string;
  /** The booking time (the run's clock): the budget period and the cooldown are counted from it. */
  now: Date;
}

export type Booking =
  | { status: 'booked'; gift: LedgerGift; product: GiftProduct; repeated: boolean }
  | { status: 'ineligible'; gift: LedgerGift; reason: IneligibleReason | { code?: undefined; message: string } }
  | { status: 'unknown-customer' };

/** Statuses a gift can be released from: booked but not yet given (a delivered gift stays given). */
const RELEASABLE: readonly GiftStatus[] = ['reserved', 'awaiting-address', 'ordered', 'pending-approval'];
const HOLDING = `(${BUDGET_HOLDING_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * The gift ledger: every gift a run books, with its cost against the campaign's budget per period.
 * Booking decides eligibility and takes budget in one transaction under two row locks (the customer's, then
 * the campaign period's budget row), so two runs can neither overspend a budget nor both pass a cooldown.
 */
export class GiftLedger {
  constructor(private readonly db: Database | Queryable) {}

  /**
   * Books a gift for a run (idempotent per key: a retry returns the first booking). Ineligible customers get
   * a row too (status ineligible, cost 0, the reason), so lists show who was refused and why.
   */
  async book(catalog: GiftCatalog, request: BookingRequest): Promise<Booking> {
    if (!('transaction' in this.db)) throw new Error('GiftLedger.book needs a Database (it runs a transaction)');
    return this.db.transaction(async (tx) => {
      const [customer] = await tx.query<{ email: string; locale: string; time_zone: string; attributes: object }>(
        'SELECT email, locale, time_zone, attributes FROM customers WHERE id = $1 FOR UPDATE',
        [request.customerId],
      );
      if (!customer) return { status: 'unknown-customer' } as const;
      const [earlier] = await tx.query<GiftRow>('SELECT * FROM gifts WHERE key = $1', [request.key]);
      if (earlier) return this.repeat(catalog, earlier);

      const choice = chooseGift(catalog, request.campaign, {
        locale: customer.locale,
        attributes: customer.attributes as Record<string, unknown>,
      });
      if (!choice.ok && choice.reason.code === 'unknown-campaign') {
        return this.insertIneligible(tx, request, periodKey(request.now, 'month'), 'EUR', choice.reason);
      }
      const campaign = catalog.campaigns.find((c) => c.id === request.campaign)!;
      const { budget } = campaign;
      const period = periodKey(request.now, budget.period);

      // The budget row is created from the catalog on first use (and follows catalog changes), then locked.
      await tx.query(
        `INSERT INTO gift_budgets (campaign, period, amount, currency) VALUES ($1, $2, $3, $4)
         ON CONFLICT (campaign, period) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency`,
        [campaign.id, period, budget.amount, budget.currency],
      );
      await tx.query('SELECT 1 FROM gift_budgets WHERE campaign = $1 AND period = $2 FOR UPDATE', [
        campaign.id,
        period,
      ]);
      const [{ booked }] = await tx.query<{ booked: string }>(
        `SELECT coalesce(sum(cost), 0) AS booked FROM gifts WHERE campaign = $1 AND period = $2 AND status IN ${HOLDING}`,
        [campaign.id, period],
      );
      const [last] = await tx.query<{ created_at: Date; campaign: string }>(
        `SELECT created_at, campaign FROM gifts WHERE customer_id = $1 AND status IN ${HOLDING}
         ORDER BY created_at DESC LIMIT 1`,
        [request.customerId],
      );
      const preference = (await new ContactPreferences(tx).forCustomer(request.customerId)).find(
        (p) => p.category === campaign.consent,
      );
      // The contact policy's own consent and suppression rules (no caps or quiet hours: those are for mail).
      const consent = decideContact(
        { caps: {} },
        {
          category: campaign.consent,
          timeZone: customer.time_zone,
          preference: preference?.state,
          suppression: (await new Suppressions(tx).find(customer.email))?.reason,
          recentMessages: 0,
          recentSurveys: 0,
          surveyOngoing: false,
          now: request.now,
        },
      );
      const eligibility = checkEligibility({
        campaign,
        customer: { locale: customer.locale, attributes: customer.attributes as Record<string, unknown> },
        consentRefusal: consent.decision === 'skip' ? consent.reason : undefined,
        choice,
        lastGift: last ? { at: new Date(last.created_at), campaign: last.campaign } : undefined,
        budget: { period, amount: budget.amount, currency: budget.currency, booked: Number(booked) },
        now: request.now,
      });
      if (!eligibility.eligible) {
        return this.insertIneligible(tx, request, period, budget.currency, eligibility.reason);
      }
      const { product } = eligibility;
      const [row] = await tx.query<GiftRow>(
        `INSERT INTO gifts (key, workflow_id, journey_id, customer_id, campaign, period, product_id, kind, cost,
           currency, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'reserved', $11, $11) RETURNING *`,
        [
          request.key,
          request.workflowId,
          request.journeyId,
          request.customerId,
          campaign.id,
          period,
          product.id,
          product.kind,
          product.cost,
          budget.currency,
          request.now.toISOString(),
        ],
      );
      return { status: 'booked', gift: toGift(row), product, repeated: false } as const;
    });
  }

  private async insertIneligible(
    tx: Queryable,
    request: BookingRequest,
    period: string,
    currency: string,
    reason: IneligibleReason,
  ): Promise<Booking> {
    const [row] = await tx.query<GiftRow>(
      `INSERT INTO gifts (key, workflow_id, journey_id, customer_id, campaign, period, cost, currency, status, reason,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 'ineligible', $8, $9, $9) RETURNING *`,
      [
        request.key,
        request.workflowId,
        request.journeyId,
        request.customerId,
        request.campaign,
        period,
        currency,
        reason.message,
        request.now.toISOString(),
      ],
    );
    return { status: 'ineligible', gift: toGift(row), reason };
  }

  /** A retried booking: what the first attempt decided (the product from the catalog by its id). */
  private repeat(catalog: GiftCatalog, row: GiftRow): Booking {
    const gift = toGift(row);
    const product = catalog.products.find((p) => p.id === gift.productId);
    if (gift.status === 'ineligible' || !product) {
      return {
        status: 'ineligible',
        gift,
        reason: { message: gift.reason ?? `product ${gift.productId} is no longer in the gift catalog` },
      };
    }
    return { status: 'booked', gift, product, repeated: true };
  }

  async get(key: string): Promise<LedgerGift | undefined> {
    const [row] = await this.db.query<GiftRow>('SELECT * FROM gifts WHERE key = $1', [key]);
    return row ? toGift(row) : undefined;
  }

  /**
   * Moves a gift on (awaiting-address, ordered, pending-approval, delivered, failed) with what the provider
   * answered. A released or unclaimed gift stays so: a late answer does not take budget back.
   */
  async setStatus(
    key: string,
    status: GiftStatus,
    details: { reason?: string; provider?: string; providerOrderId?: string; reward?: GiftReward } = {},
  ): Promise<LedgerGift | undefined> {
    const [row] = await this.db.query<GiftRow>(
      `UPDATE gifts SET status = $2, reason = coalesce($3, reason), provider = coalesce($4, provider),
         provider_order_id = coalesce($5, provider_order_id), reward = coalesce($6, reward), updated_at = now()
       WHERE key = $1 AND status NOT IN ('released', 'unclaimed', 'ineligible') RETURNING *`,
      [
        key,
        status,
        details.reason ?? null,
        details.provider ?? null,
        details.providerOrderId ?? null,
        details.reward ? JSON.stringify(details.reward) : null,
      ],
    );
    return row ? toGift(row) : undefined;
  }

  /** Gives the gift's budget back (unclaimed, failed or released, with why); a delivered gift is not released. */
  async release(
    key: string,
    status: Extract<GiftStatus, 'unclaimed' | 'failed' | 'released'>,
    reason: string,
  ): Promise<LedgerGift | undefined> {
    const [row] = await this.db.query<GiftRow>(
      `UPDATE gifts SET status = $2, reason = $3, updated_at = now()
       WHERE key = $1 AND status IN (${RELEASABLE.map((s) => `'${s}'`).join(', ')}) RETURNING *`,
      [key, status, reason],
    );
    return row ? toGift(row) : this.get(key);
  }

  /**
   * Keeps the address the customer confirmed: once, and only while the gift waits for it (undefined otherwise),
   * so the address the run was told is the one the order ships to.
   */
  async confirmAddress(key: string, address: ShippingAddress): Promise<LedgerGift | undefined> {
    const [row] = await this.db.query<GiftRow>(
      `UPDATE gifts SET shipping_address = $2, updated_at = now()
       WHERE key = $1 AND status = 'awaiting-address' AND shipping_address IS NULL
       RETURNING *`,
      [key, JSON.stringify(address)],
    );
    return row ? toGift(row) : undefined;
  }

  /** A campaign's budget for a period and what gifts holding budget have booked of it. */
  async budgetUse(
    campaign: string,
    period: string,
  ): Promise<{ amount: number; currency: string; booked: number } | undefined> {
    const [row] = await this.db.query<{ amount: string; currency: string; booked: string }>(
      `SELECT b.amount, b.currency,
         (SELECT coalesce(sum(cost), 0) FROM gifts g WHERE g.campaign = b.campaign AND g.period = b.period
            AND g.status IN ${HOLDING}) AS booked
       FROM gift_budgets b WHERE b.campaign = $1 AND b.period = $2`,
      [campaign, period],
    );
    return row ? { amount: Number(row.amount), currency: row.currency, booked: Number(row.booked) } : undefined;
  }

  async forCustomer(customerId: string): Promise<LedgerGift[]> {
    const rows = await this.db.query<GiftRow>('SELECT * FROM gifts WHERE customer_id = $1 ORDER BY created_at, key', [
      customerId,
    ]);
    return rows.map(toGift);
  }
}
