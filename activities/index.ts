import { applyCrm, type ApplyCrmInput } from './crm/apply-crm';
import { sendEmail, type SendEmailDeps, type SendEmailInput } from './email/send-email';
import { orderGift, type OrderGiftInput } from './gifts/order-gift';
import { score, type ScoreInput } from './scoring/score';
import { callWebhook, type CallWebhookInput } from './webhook/call-webhook';

export type ActivityDeps = SendEmailDeps;
export type { Sender } from './email/message-data';

/** The activities the worker registers; workflows see only their types. */
export function createActivities(deps: ActivityDeps) {
  return {
    sendEmail: (input: SendEmailInput) => sendEmail(deps, input),
    applyCrm: (input: ApplyCrmInput) => applyCrm(deps.stores, input),
    score: (input: ScoreInput) => score(deps.stores, input),
    orderGift: (input: OrderGiftInput) => orderGift(deps.stores, input),
    callWebhook: (input: CallWebhookInput) => callWebhook(input),
  };
}
export type Activities = ReturnType<typeof createActivities>;
