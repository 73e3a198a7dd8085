import type { Stores } from '../../store';
import type { GiftProvider } from '../provider';
import { BuiltinGiftProvider } from './builtin';
import { TremendousGiftProvider, type TremendousSettings } from './tremendous';

/** Which provider orders gifts (GIFT_PROVIDER) and its settings (TREMENDOUS_*). */
export type GiftProviderSettings = { provider: 'builtin' } | ({ provider: 'tremendous' } & TremendousSettings);

/** The configured provider; the built-in one keeps its orders in the stores' database. */
export function createGiftProvider(settings: GiftProviderSettings, stores: Stores): GiftProvider {
  if (settings.provider === 'tremendous') return new TremendousGiftProvider(settings);
  return new BuiltinGiftProvider(stores.giftOrders);
}
