import { type FittedForecaster, InsufficientHistoryError, type RegularSeries } from '../models/core/forecaster';
import { modelKind } from '../models/model-kinds';

export interface ForecastFeedOptions {
  /** Model kind from `models/model-kinds.ts`. */
  readonly model: string;
  /** Quantile level the feed returns. */
  readonly quantile: number;
  /** Longest look-ahead asked of the feed, in steps. */
  readonly horizonSteps: number;
  /** Simulated time between refits, as in production's refresh schedule. */
  readonly retrainEverySeconds: number;
  /** History a fit sees (the newest part), bounding fit time on long traces. */
  readonly trainWindowSeconds: number;
  /** History needed before the first fit. */
  readonly minHistorySeconds: number;
  readonly seed: number;
}

/**
 * Forecasts for the Prescale policy during a replay: refits on a schedule on the history seen
 * so far, and between refits conditions the fitted model on each new observation
 * (`FittedForecaster.condition`, which never trains a network), as serving does. Never sees past the
 * end of the history it is handed.
 */
export class ForecastFeed {
  private fitted: FittedForecaster | null = null;
  private fittedAtLength = 0;
  private cacheLength = -1;
  private cache: number[] | null = null;

  constructor(private readonly options: ForecastFeedOptions) {}

  /**
   * The chosen quantile for the `horizonSteps` steps after the end of `observed`, or null while
   * there is too little history to fit.
   */
  async quantilesAfter(observed: RegularSeries): Promise<number[] | null> {
    const n = observed.values.length;
    if (n === this.cacheLength) return this.cache;
    this.cacheLength = n;
    this.cache = await this.compute(observed);
    return this.cache;
  }

  private async compute(observed: RegularSeries): Promise<number[] | null> {
    const o = this.options;
    const step = observed.stepSeconds;
    const n = observed.values.length;
    const due = this.fitted === null ? n * step >= o.minHistorySeconds : (n - this.fittedAtLength) * step >= o.retrainEverySeconds;
    if (due) await this.refit(observed);
    if (this.fitted === null) return null;
    const key = String(o.quantile);
    const conditioned = await this.fitted.condition(observed);
    return conditioned.predict(o.horizonSteps, { quantiles: [o.quantile] }).quantiles[key] ?? null;
  }

  private async refit(observed: RegularSeries): Promise<void> {
    const o = this.options;
    const n = observed.values.length;
    const keep = Math.min(n, Math.ceil(o.trainWindowSeconds / observed.stepSeconds));
    const from = n - keep;
    const values = observed.values;
    const window: RegularSeries = {
      startMs: observed.startMs + from * observed.stepSeconds * 1000,
      stepSeconds: observed.stepSeconds,
      values: values instanceof Float64Array ? values.subarray(from) : Array.prototype.slice.call(values, from),
      timezone: observed.timezone,
    };
    try {
      const fitted = await modelKind(o.model).create({ horizonSteps: o.horizonSteps }).fit(window, { seed: o.seed });
      this.fitted = fitted;
      this.fittedAtLength = n;
    } catch (err) {
      // Too little (observed) history: keep the previous fit, or none, and try again next time.
      if (!(err instanceof InsufficientHistoryError)) throw err;
    }
  }
}
