import type { ChurnModel, ChurnSettings } from '../../model/churn';
import { buildChurnModel } from '../scoring/churn-model';
import type { Stores } from '../store';

/**
 * The start of a churn scan: the base model as of the scan's moment (fitted fresh, not the score endpoint's
 * cached one) and the number of customers, for the progress shown while the scan pages through them.
 */
export async function prepareChurnScan(
  deps: { stores: Stores; churnSettings: ChurnSettings },
  input: { asOf: string },
): Promise<{ model: ChurnModel; totalCustomers: number }> {
  const [model, totalCustomers] = await Promise.all([
    buildChurnModel(deps.stores, input.asOf, deps.churnSettings),
    deps.stores.customers.count(),
  ]);
  return { model, totalCustomers };
}
