import { type Forecast, type FittedForecaster, InsufficientHistoryError, type RegularSeries } from '../models/core/forecaster';
import { carryCalibration } from '../models/core/online-calibrated';
import { type FitScheduleOptions, type FitSpec, type LastFit, fitWindow, newestWindow, nextFitAttempt, scheduledRefitCost } from './fit-schedule';
import { type FitSource, inlineFits } from './fit-source';

export interface ForecastFeedOptions extends FitSpec, FitScheduleOptions {
  /** Quantile levels the feed returns (what the series serves; cost-aware sizing interpolates between them). */
  readonly quantiles: readonly number[];
}

/**
 * Forecasts for the Prescale policy during a replay: refits on a schedule (fit-schedule.ts) on
 * the history seen so far, and between refits conditions the fitted model on each new
 * observation (`FittedForecaster.condition`, which never trains a network), as serving does.
 * Never sees past the end of the history it is handed; its fits come from a {@link FitSource}
 * (on this thread, or ahead in a worker), each on the prefix it is due at.
 */
export class ForecastFeed {
  private fitted: FittedForecaster | null = null;
  private last: LastFit | null = null;
  private lastAttempt: number | null = null;
  private cacheLength = -1;
  private cache: Forecast | null = null;
  /** Refits forced because the fitted model could not be conditioned or asked for the horizon. */
  forcedRefits = 0;
  /** Scheduled fits taken, by the kind they served (under auto, the kind each training left serving). */
  readonly servedKinds = new Map<string, number>();

  constructor(
    private readonly options: ForecastFeedOptions,
    private readonly fits: FitSource = inlineFits(options),
  ) {}

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

  /** Stops the fit source (a worker thread, where fits run ahead). */
  close(): Promise<void> {
    return this.fits.close();
  }

  private async compute(observed: RegularSeries): Promise<Forecast | null> {
    const o = this.options;
    const n = observed.values.length;
    await this.takeScheduledFits(observed);
    if (this.fitted === null) return null;
    const quantiles = [...o.quantiles];
    try {
      // Kept, as serving keeps it (src/forecast/fitted-models.ts): the online calibration moves
      // on every conditioning, and a model conditioned afresh from its fit each step would
      // only ever have scored the fit's own forecast. Conditioned on the training window, as
      // serving conditions on `series[].history`: a member the ensemble refits then refits on
      // what the service would give it, not on the whole trace so far.
      this.fitted = await this.fitted.condition(newestWindow(observed, n, o.trainWindowSeconds));
      return this.fitted.predict(o.horizonSteps, { quantiles });
    } catch (err) {
      // A fitted model that cannot be moved this far (a too short recent tail) or asked for the
      // horizon from here is refitted on what has been seen, as `moveToNewer`
      // (models/core/conditioning.ts) does for callers that can afford a fit. Off the schedule:
      // the next scheduled fit stays where it was.
      if (!(err instanceof RangeError || err instanceof InsufficientHistoryError)) throw err;
      this.forcedRefits++;
      // Of the kind that serves (under auto, the one the last training chose), not a training.
      const refitted = await fitWindow({ ...o, model: this.fitted.name }, newestWindow(observed, n, o.trainWindowSeconds), this.fitted);
      if (!refitted) return null;
      this.fitted = carryCalibration(this.fitted, refitted);
      return this.fitted.predict(o.horizonSteps, { quantiles });
    }
  }

  /**
   * Every scheduled fit due by history length n, in order (more than one only where calls skip
   * lengths). A refit keeps the online calibration the last fit had reached, as serving does
   * (fitted-models.ts); an attempt on too little history keeps the previous fit.
   */
  private async takeScheduledFits(observed: RegularSeries): Promise<void> {
    const n = observed.values.length;
    for (;;) {
      const at = nextFitAttempt(this.options, observed.stepSeconds, this.last, this.lastAttempt);
      if (at > n) return;
      this.lastAttempt = at;
      const fitted = await this.fits.fitAt(at, observed, this.fitted);
      if (fitted) {
        this.fitted = carryCalibration(this.fitted, fitted);
        this.last = { refitCost: scheduledRefitCost(this.options, fitted), atLength: at };
        this.servedKinds.set(fitted.name, (this.servedKinds.get(fitted.name) ?? 0) + 1);
      }
    }
  }
}
