import { randomUUID } from 'node:crypto';
import type { Stores } from '../activities/store';
import type { Preference } from '../activities/store/contact-preferences';
import type { Customer } from '../model/customer';
import {
  verifyUnsubscribeToken,
  type UnsubscribeCategory,
  type UnsubscribeTokenCheck,
} from '../activities/policy/unsubscribe-token';
import type { EventRouter } from './event-router';

export const UNSUBSCRIBE_CATEGORIES: UnsubscribeCategory[] = ['survey', 'marketing'];

/** Whether mail of the category may go to the customer as far as their own stand goes (not caps or suppression). */
export function isSubscribed(category: UnsubscribeCategory, preferences: Preference[]): boolean {
  const state = preferences.find((p) => p.category === category)?.state;
  return category === 'survey' ? state !== 'opted-out' : state === 'granted' || state === 'soft-opt-in';
}

export type OpenedPreferences =
  | { ok: true; customer: Customer; category: UnsubscribeCategory; subscribed: Record<UnsubscribeCategory, boolean> }
  | { ok: false; reason: Extract<UnsubscribeTokenCheck, { ok: false }>['reason'] | 'unknown' };

/**
 * The unsubscribe link and the preference page. Opting out records the customer's stand and sends a
 * `customer.unsubscribed` event through the router, which ends their running journeys of that category at once.
 */
export class ContactPreferenceService {
  constructor(private readonly deps: { stores: Stores; router: EventRouter; secret: string }) {}

  async open(token: string): Promise<OpenedPreferences> {
    const check = verifyUnsubscribeToken(this.deps.secret, token);
    if (!check.ok) return check;
    const customer = await this.deps.stores.customers.get(check.customerId);
    if (!customer) return { ok: false, reason: 'unknown' };
    const preferences = await this.deps.stores.preferences.forCustomer(customer.id);
    const subscribed = Object.fromEntries(UNSUBSCRIBE_CATEGORIES.map((c) => [c, isSubscribed(c, preferences)]));
    return {
      ok: true,
      customer,
      category: check.category,
      subscribed: subscribed as Record<UnsubscribeCategory, boolean>,
    };
  }

  /** Opts the customer out of a category and ends their runs in it. */
  async unsubscribe(customerId: string, category: UnsubscribeCategory, source: string): Promise<void> {
    await this.deps.stores.preferences.set(customerId, category, 'opted-out', source);
    // Routed even when the stand was recorded before: a run that started since then ends too.
    await this.deps.router.route({
      id: `unsubscribe-${randomUUID()}`,
      type: 'customer.unsubscribed',
      customerId,
      data: { category, source },
    });
  }

  /** The preference page's form: every category the customer ticked is on, every other one off. */
  async save(customerId: string, wanted: Record<UnsubscribeCategory, boolean>, source: string): Promise<void> {
    const preferences = await this.deps.stores.preferences.forCustomer(customerId);
    for (const category of UNSUBSCRIBE_CATEGORIES) {
      if (wanted[category] === isSubscribed(category, preferences)) continue;
      if (!wanted[category]) {
        await this.unsubscribe(customerId, category, source);
      } else if (category === 'marketing') {
        // Ticking the box on the page is the customer's own consent.
        await this.deps.stores.preferences.set(customerId, category, 'granted', source);
      } else {
        await this.deps.stores.preferences.clear(customerId, category);
      }
    }
  }
}
