import type { Stores } from '../store';
import type { ChurnModelCache } from './churn-model-cache';
import { scoreChurn } from './score-churn';
import { SCORER_FUNCTIONS, type ScorerName } from './scorers';

export interface ScoreInput {
  customerId: string;
  scorer: ScorerName;
  /** Workflow time, so a simulated or replayed run scores as of its own clock. */
  asOf: string;
}

/** A score and, for scorers that explain themselves (churn-risk), the sentences behind it. */
export interface ScoreResult {
  value: number | null;
  reasons?: string[];
}

export interface ScoreDeps {
  stores: Stores;
  churnModels: ChurnModelCache;
}

export async function score({ stores, churnModels }: ScoreDeps, input: ScoreInput): Promise<ScoreResult> {
  const orders = await stores.orders.ofCustomer(input.customerId, input.asOf);
  if (input.scorer === 'churn-risk') {
    // no orders: no score, and the model (a pass over the whole base) is not needed
    if (orders.length === 0) return { value: null, reasons: ['no orders yet: nothing to score'] };
    const churn = scoreChurn(await churnModels.forDay(input.asOf), orders, input.asOf);
    return churn ? { value: churn.risk, reasons: churn.reasons } : { value: null, reasons: [] };
  }
  return { value: SCORER_FUNCTIONS[input.scorer](orders, Date.parse(input.asOf)) };
}
