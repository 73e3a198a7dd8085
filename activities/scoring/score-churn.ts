import type { ChurnModel, ChurnScore } from '../../model/churn';
import type { Order } from '../../model/order';
import { expectedPurchases, pAlive } from './bg-nbd';
import { churnRisk } from './churn-risk';
import { clv, purchasesByYear } from './clv';
import { purchaseHistory } from './purchase-history';
import { rfmScore } from './rfm';

/**
 * One customer's churn-risk score against the base model: RFM, P(alive), CLV and the risk with its reasons.
 * Orders after `asOf` are ignored. Null for a customer without orders: there is nothing to measure yet,
 * and such a customer is a lead, not a churn risk. The one function the score step, the scan and the CLI use.
 */
export function scoreChurn(model: ChurnModel, orders: Order[], asOf: string): ChurnScore | null {
  const history = purchaseHistory(orders, asOf);
  if (!history) return null;
  const params = model.bgNbd.params;
  const customer = { x: history.repeatPurchases, tx: history.txWeeks, T: history.ageWeeks };
  const alive = pAlive(params, customer);
  const rfm = rfmScore(history, model.rfm);
  const { settings } = model;
  const byYear = purchasesByYear((weeks) => expectedPurchases(params, customer, weeks), settings.clvYears);
  const risk = churnRisk({
    orders: history.orders,
    daysSinceLastOrder: history.daysSinceLastOrder,
    repeatPurchases: history.repeatPurchases,
    usualGapDays: history.usualGapDays,
    ageWeeks: history.ageWeeks,
    pAlive: alive,
    rfm,
    typicalGapDays: model.typicalGapDays,
    gapMultiple: settings.gapMultiple,
  });
  const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
  return {
    asOf: new Date(Date.parse(asOf)).toISOString(),
    ...risk,
    rfm,
    pAlive: round(alive, 4),
    expectedPurchasesNextYear: round(byYear[0], 3),
    clv: clv({
      expectedPurchasesByYear: byYear,
      averageOrderValue: history.averageOrderValue,
      margin: settings.margin,
      discountRate: settings.discountRate,
    }),
    history: {
      orders: history.orders,
      repeatPurchases: history.repeatPurchases,
      firstOrderAt: history.firstOrderAt,
      lastOrderAt: history.lastOrderAt,
      daysSinceLastOrder: round(history.daysSinceLastOrder, 2),
      usualGapDays: history.usualGapDays === null ? null : round(history.usualGapDays, 1),
      total: round(history.total, 2),
      averageOrderValue: round(history.averageOrderValue, 2),
      currency: history.currency,
    },
  };
}
