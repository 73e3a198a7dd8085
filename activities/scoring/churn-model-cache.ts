import type { ChurnModel, ChurnSettings } from '../../model/churn';
import type { Stores } from '../store';
import { buildChurnModel } from './churn-model';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Base models kept per UTC day: a model is built as of the start of the day an as-of moment falls in, once
 * (concurrent callers share the build), so the score endpoint and score steps do not refit the base on every
 * call. Orders placed later that day count in each customer's own history, not yet in the base.
 */
export class ChurnModelCache {
  private readonly models = new Map<string, Promise<ChurnModel>>();

  constructor(
    private readonly stores: Pick<Stores, 'db'>,
    readonly settings: ChurnSettings,
    /** How many days' models to keep (a replay or simulation may ask for other days). */
    private readonly keep = 3,
  ) {}

  /** The model for the UTC day `asOf` falls in. */
  forDay(asOf: string): Promise<ChurnModel> {
    const dayStart = new Date(Math.floor(Date.parse(asOf) / DAY_MS) * DAY_MS).toISOString();
    let model = this.models.get(dayStart);
    if (!model) {
      model = buildChurnModel(this.stores, dayStart, this.settings);
      // a failed build is not kept: the next call tries again
      model.catch(() => this.models.delete(dayStart));
      this.models.set(dayStart, model);
      while (this.models.size > this.keep) this.models.delete(this.models.keys().next().value!);
    }
    return model;
  }
}
