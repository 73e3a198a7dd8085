import { applyCrm, type ApplyCrmInput } from './crm/apply-crm';
import { sendEmail, type SendEmailDeps, type SendEmailInput } from './email/send-email';
import { orderGift, type OrderGiftInput } from './gifts/order-gift';
import { getGiftOrder, placeGiftOrder } from './gifts/place-gift-order';
import type { GiftProvider } from './gifts/provider';
import { BuiltinGiftProvider } from './gifts/providers/builtin';
import type { GiftOrderRequest } from '../model/gift-provider';
import {
  bookGift,
  giftOrderRequest,
  recordGiftOrder,
  releaseGift,
  requestGiftAddress,
  type BookGiftInput,
  type GiftLedgerDeps,
} from './gifts/gift-ledger';
import { score, type ScoreInput } from './scoring/score';
import { ChurnModelCache } from './scoring/churn-model-cache';
import { callWebhook, type CallWebhookInput } from './webhook/call-webhook';
import type { RunOutcome } from '../model/run';
import { issueCoupon, type IssueCouponInput } from './coupons/issue-coupon';
import { DEFAULT_CHURN_SETTINGS, type ChurnSettings } from '../model/churn';
import { prepareChurnScan } from './churn-scan/prepare-scan';
import { scanChurnPage, type Anniversaries, type RouteEvent, type ScanPageInput } from './churn-scan/scan-page';

export type ActivityDeps = SendEmailDeps &
  Pick<GiftLedgerDeps, 'giftCatalog'> & {
    /** GIFT_PROVIDER's provider; default: the built-in one over `stores`. */
    giftProvider?: GiftProvider;
    /** How churn is scored (CHURN_* settings); default: DEFAULT_CHURN_SETTINGS. */
    churnSettings?: ChurnSettings;
    /** Routes an event as POST /v1/events does: the churn scan enrols customers through it (not in simulations). */
    routeEvent?: RouteEvent;
    /** The anniversaries due for some customers: the churn scan routes them too (not in simulations). */
    anniversaries?: Anniversaries;
    /** Base models per day for score steps (shared with the HTTP API); default: one over `stores`. */
    churnModels?: ChurnModelCache;
  };
export type { Sender } from './email/message-data';

/** The activities the worker registers; workflows see only their types. */
export function createActivities(deps: ActivityDeps) {
  const giftProvider = deps.giftProvider ?? new BuiltinGiftProvider(deps.stores.giftOrders);
  const churnModels =
    deps.churnModels ?? new ChurnModelCache(deps.stores, deps.churnSettings ?? DEFAULT_CHURN_SETTINGS);
  const routeEvent = () => {
    if (!deps.routeEvent)
      throw new Error('the churn scan runs on the worker `touchpoint start` starts, not in a simulation');
    return deps.routeEvent;
  };
  return {
    sendEmail: (input: SendEmailInput) => sendEmail(deps, input),
    applyCrm: (input: ApplyCrmInput) => applyCrm(deps.stores, input),
    score: (input: ScoreInput) => score({ stores: deps.stores, churnModels }, input),
    orderGift: (input: OrderGiftInput) => orderGift(deps.stores, input),
    placeGiftOrder: (request: GiftOrderRequest) => placeGiftOrder(giftProvider, request),
    getGiftOrder: (externalId: string) => getGiftOrder(giftProvider, externalId),
    bookGift: (input: BookGiftInput) => bookGift(deps, input),
    requestGiftAddress: (input: Parameters<typeof requestGiftAddress>[1]) => requestGiftAddress(deps, input),
    giftOrderRequest: (key: string) => giftOrderRequest(deps, key),
    recordGiftOrder: (input: Parameters<typeof recordGiftOrder>[1]) => recordGiftOrder(deps, input),
    releaseGift: (input: Parameters<typeof releaseGift>[1]) => releaseGift(deps, input),
    callWebhook: (input: CallWebhookInput) => callWebhook(input),
    issueCoupon: (input: IssueCouponInput) => issueCoupon(deps.stores, input),
    recordOutcome: (outcome: RunOutcome) => deps.stores.runOutcomes.record(outcome),
    prepareChurnScan: (input: { asOf: string }) =>
      prepareChurnScan({ stores: deps.stores, churnSettings: deps.churnSettings ?? DEFAULT_CHURN_SETTINGS }, input),
    scanChurnPage: (input: ScanPageInput) =>
      scanChurnPage({ stores: deps.stores, routeEvent: routeEvent(), anniversaries: deps.anniversaries }, input),
  };
}
export type Activities = ReturnType<typeof createActivities>;
