import type { Stores } from '../store';
import { SCORER_FUNCTIONS, type ScorerName } from './scorers';

export interface ScoreInput {
  customerId: string;
  scorer: ScorerName;
  /** Workflow time, so a simulated or replayed run scores as of its own clock. */
  asOf: string;
}

export async function score(stores: Stores, input: ScoreInput): Promise<number | null> {
  const orders = await stores.orders.ofCustomer(input.customerId, input.asOf);
  return SCORER_FUNCTIONS[input.scorer](orders, Date.parse(input.asOf));
}
