import { type Forecast, type FittedForecaster, InsufficientHistoryError, type RegularSeries } from '../models/core/forecaster';
import { modelKind } from '../models/model-kinds';
import { carryCalibration } from '../models/core/online-calibrated';

export interface ForecastFeedOptions {
  /** Model kind from `models/model-kinds.ts`. */
  readonly model: string;
  /** Quantile levels the feed returns (what the series serves; cost-aware sizing interpolates between them). */
  readonly quantiles: readonly number[];
  /** Longest look-ahead asked of the feed, in steps. */
  readonly horizonSteps: number;
  /** Simulated time between refits of a model cheap to refit (`refitCost` low), as in production's refresh schedule. */
  readonly retrainEverySeconds: number;
  /**
   * Simulated time between refits of a model whose refit trains or costs seconds (`refitCost`
   * high: the LSTM, MSTL, the ensemble), as `prescale train` on `training.schedule`. Each such
   * refit starts from the model it replaces (`FitOptions.warmStart`), as the trainer does.
   */
  readonly trainEverySeconds: number;
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
  private cache: Forecast | null = null;
  /** Refits forced because the fitted model could not be conditioned or asked for the horizon. */
  forcedRefits = 0;

  constructor(private readonly options: ForecastFeedOptions) {}

  /**
   * The forecast (the configured quantiles) for the `horizonSteps` steps after the end of
   * `observed`, or null while there is too little history to fit.
   */
  async forecastAfter(observed: RegularSeries): Promise<Forecast | null> {
    const n = observed.values.length;
    if (n === this.cacheLength) return this.cache;
    this.cacheLength = n;
    this.cache = await this.compute(observed);
    return this.cache;
  }

  private async compute(observed: RegularSeries): Promise<Forecast | null> {
    const o = this.options;
    const step = observed.stepSeconds;
    const n = observed.values.length;
    const every = this.fitted?.refitCost === 'high' ? o.trainEverySeconds : o.retrainEverySeconds;
    const due = this.fitted === null ? n * step >= o.minHistorySeconds : (n - this.fittedAtLength) * step >= every;
    if (due) await this.refit(observed);
    if (this.fitted === null) return null;
    const quantiles = [...o.quantiles];
    try {
      // Kept, as serving keeps it (src/forecast/fitted-models.ts): the online calibration moves
      // on every conditioning, and a model conditioned afresh from its fit each step would
      // only ever have scored the fit's own forecast. Conditioned on the training window, as
      // serving conditions on `series[].history`: a member the ensemble refits then refits on
      // what the service would give it, not on the whole trace so far.
      this.fitted = await this.fitted.condition(this.newest(observed));
      return this.fitted.predict(o.horizonSteps, { quantiles });
    } catch (err) {
      // A fitted model that cannot be moved this far (a too short recent tail) or asked for the
      // horizon from here (a fitted MSTL past its stored forecast) is refitted on what has been
      // seen, as `moveToNewer` (models/core/conditioning.ts) does for callers that can afford a fit.
      if (!(err instanceof RangeError || err instanceof InsufficientHistoryError)) throw err;
      this.forcedRefits++;
      const refitted = await this.refit(observed);
      return refitted ? refitted.predict(o.horizonSteps, { quantiles }) : null;
    }
  }

  /** Fits on the newest `trainWindowSeconds` of `observed`; null (the previous fit kept) when there is too little history. */
  private async refit(observed: RegularSeries): Promise<FittedForecaster | null> {
    const o = this.options;
    const n = observed.values.length;
    const window = this.newest(observed);
    try {
      // The refit keeps the online calibration the last fit had reached, as serving does (fitted-models.ts).
      const forecaster = modelKind(o.model).create({ horizonSteps: o.horizonSteps });
      const fitted = carryCalibration(this.fitted, await forecaster.fit(window, { seed: o.seed, ...(this.fitted ? { warmStart: this.fitted } : {}) }));
      this.fitted = fitted;
      this.fittedAtLength = n;
      return fitted;
    } catch (err) {
      // Too little (observed) history: keep the previous fit, or none, and try again next time.
      if (!(err instanceof InsufficientHistoryError)) throw err;
      return null;
    }
  }

  /** The newest `trainWindowSeconds` of `observed`. */
  private newest(observed: RegularSeries): RegularSeries {
    const n = observed.values.length;
    const from = n - Math.min(n, Math.ceil(this.options.trainWindowSeconds / observed.stepSeconds));
    if (from === 0) return observed;
    const values = observed.values;
    return {
      startMs: observed.startMs + from * observed.stepSeconds * 1000,
      stepSeconds: observed.stepSeconds,
      values: values instanceof Float64Array ? values.subarray(from) : Array.prototype.slice.call(values, from),
      timezone: observed.timezone,
    };
  }
}
