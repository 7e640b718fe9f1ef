import { type FittedForecaster, type Forecaster, InsufficientHistoryError, type RegularSeries } from '../models/core/forecaster';
import { initialLevels, meanAbsError, missRatesOf, updateLevels } from '../models/core/adaptive-levels';
import { moveToNewer } from '../models/core/conditioning';
import { quantileKey } from '../models/core/forecaster';
import { predictAtLevels } from '../models/core/online-calibrated';
import { rollingOrigins, spreadStride } from '../models/core/rolling-origins';
import { seasonalNaiveScale, stepsPerDay } from '../models/core/series-stats';
import { ErrorAccumulator } from '../src/model-selection/error-metrics';

export interface BacktestOptions {
  /** Steps forecast from each origin. */
  horizonSteps: number;
  /** Number of rolling origins (default 24). */
  windows?: number;
  /** Steps between origins; default spreads the windows over the last week (at least one horizon apart). */
  strideSteps?: number;
  /** Quantile levels scored by pinball loss and coverage (default [0.5, 0.9]). */
  quantiles?: readonly number[];
  /** Training values before the first origin (default: two days, or half the series if shorter). */
  minTrainSteps?: number;
  /**
   * Refit a trained model (`refitCost` `high`, e.g. the LSTM) only every this many windows:
   * windows in between condition the last fit on the new origin without training
   * (`moveToNewer`). Models cheap to refit refit every window. Default 1.
   */
  refitEvery?: number;
  /**
   * Online calibration across the rolling origins (models/core/adaptive-levels.ts): each
   * model's quantiles are read at levels adapted by its misses on the earlier windows, as
   * serving adapts them on every conditioning. `exclude` names models scored on their own
   * intervals (peers). Off by default.
   */
  onlineCalibration?: {
    exclude?: readonly string[];
    /**
     * Origins before the first scored one, at the same stride, whose outcomes move the
     * calibrated models' levels but are not scored (default 0). Serving's levels have learned
     * from every conditioning since the series began; without a warm-up the backtest scores
     * the levels while they still start from the target, and on an hourly series with 24
     * one-step windows that start is most of what is scored.
     */
    warmupWindows?: number;
  };
  /** Called after each window, e.g. for a progress bar. */
  onWindow?: (done: number, total: number) => void;
}

export interface ModelScore {
  model: string;
  /** Mean absolute error scaled by the in-sample seasonal-naive (daily) error of each window. */
  mase: number;
  /** Symmetric MAPE in percent (0–200). */
  smape: number;
  /** Pinball loss averaged over the quantiles, scaled like MASE. */
  pinball: number;
  /** Per quantile key, the share of actuals at or below that quantile's forecast. */
  coverage: Record<string, number>;
  windows: number;
  /** Windows the model could not fit (too little history). */
  skippedWindows: number;
  fitSeconds: number;
}

export interface BacktestResult {
  origins: number[];
  horizonSteps: number;
  models: ModelScore[];
  /**
   * Per model (in the order of `models`), per scored origin (in the order of `origins`): the
   * window's mean absolute error over its MASE scale, the numbers MASE pools; NaN where the
   * model was skipped or the window could not be scored. For paired comparisons of two models
   * window by window (diebold-mariano.ts).
   */
  windowErrors: number[][];
}

/** Origins (index of the first forecast step) of a rolling-origin evaluation, oldest first. */
export function backtestOrigins(length: number, stepSeconds: number, options: BacktestOptions): number[] {
  const h = options.horizonSteps;
  const windows = options.windows ?? 24;
  const minTrainSteps = minTrainStepsOf(length, stepSeconds, options);
  const weekSteps = 7 * stepsPerDay(stepSeconds);
  const strideSteps = options.strideSteps ?? spreadStride(Math.min(weekSteps, length - minTrainSteps - h), windows, h);
  return rollingOrigins({ length, horizonSteps: h, strideSteps, count: windows, minTrainSteps });
}

function minTrainStepsOf(length: number, stepSeconds: number, options: BacktestOptions): number {
  return options.minTrainSteps ?? Math.min(2 * stepsPerDay(stepSeconds), Math.floor(length / 2));
}

function calibrateWarmup(options: BacktestOptions): number {
  return options.onlineCalibration ? Math.max(0, Math.floor(options.onlineCalibration.warmupWindows ?? 0)) : 0;
}

/**
 * Calibration warm-up origins: `count` origins before `scored[0]` at the stride of the scored
 * origins (one horizon when there is only one), none with fewer than `minTrainSteps` values
 * before it; oldest first.
 */
export function warmupOrigins(scored: readonly number[], count: number, horizonSteps: number, minTrainSteps: number): number[] {
  const first = scored[0];
  if (first === undefined || count <= 0) return [];
  const stride = scored.length > 1 ? (scored[1] as number) - first : horizonSteps;
  const out: number[] = [];
  for (let o = first - stride; o >= minTrainSteps && out.length < count; o -= stride) out.push(o);
  return out.reverse();
}

/**
 * Rolling-origin backtest (statsforecast's cross_validation): for each origin, every model
 * is fitted on the values before it and scored on the next `horizonSteps` values. Written
 * once for every model, so all are compared on identical windows.
 */
export async function backtest(series: RegularSeries, models: readonly Forecaster[], options: BacktestOptions): Promise<BacktestResult> {
  const quantiles = options.quantiles ?? [0.5, 0.9];
  const origins = backtestOrigins(series.values.length, series.stepSeconds, options);
  const warmup = warmupOrigins(origins, calibrateWarmup(options), options.horizonSteps, minTrainStepsOf(series.values.length, series.stepSeconds, options));
  const all = [...warmup, ...origins];
  const period = stepsPerDay(series.stepSeconds);
  const acc = models.map(() => new ErrorAccumulator(quantiles));
  const skipped = models.map(() => 0);
  const fitMs = models.map(() => 0);
  const windowErrors = models.map((): number[] => []);
  const refitEvery = Math.max(1, options.refitEvery ?? 1);
  const reuse = models.map((): { fitted: FittedForecaster; window: number } | null => null);
  const calibrate = options.onlineCalibration;
  const levels = models.map((m) => (calibrate && !(calibrate.exclude ?? []).includes(m.name) ? initialLevels() : null));
  for (const [w, origin] of all.entries()) {
    const scored = w >= warmup.length;
    const train: RegularSeries = { ...series, values: Array.prototype.slice.call(series.values, 0, origin) as number[] };
    const actual = Array.prototype.slice.call(series.values, origin, origin + options.horizonSteps) as number[];
    const scale = seasonalNaiveScale(train.values, train.values.length > period ? period : 1);
    // A NaN slot for every scored origin, filled in below for each model that scores the window.
    if (scored) for (const errors of windowErrors) errors.push(Number.NaN);
    if (!(scale > 0)) continue;
    // The scored windows fit exactly as without a warm-up: its fits are not carried over, and
    // the refit schedule counts from the first scored origin. Only the levels carry over.
    if (w === warmup.length) reuse.fill(null);
    const fitWindow = scored ? w - warmup.length : w;
    for (const [i, model] of models.entries()) {
      // A warm-up origin only teaches the calibrated models' levels.
      if (!scored && levels[i] === null) continue;
      const started = performance.now();
      try {
        const fitted = await fitOrCondition(model, train, reuse, i, fitWindow, refitEvery);
        const carried = levels[i];
        const tracked = carried ? Object.keys(carried.miss).map(Number) : [];
        const forecast = carried ? predictAtLevels(fitted, carried, options.horizonSteps, [...new Set([...quantiles, ...tracked])]) : fitted.predict(options.horizonSteps, { quantiles });
        const absError = meanAbsError(forecast.mean, actual);
        if (scored) {
          acc[i]!.add(actual, forecast.mean, pickKeys(forecast.quantiles, quantiles), scale);
          windowErrors[i]![w - warmup.length] = absError / scale;
        }
        if (carried) {
          // The levels move by this window's misses, weighted by the steps until the next origin.
          const steps = (all[w + 1] ?? origin + options.horizonSteps) - origin;
          levels[i] = updateLevels(carried, { missRates: missRatesOf(pickKeys(forecast.quantiles, tracked), actual), medianAbsError: absError }, steps);
        }
      } catch (err) {
        if (!(err instanceof InsufficientHistoryError)) throw err;
        if (scored) skipped[i]!++;
      }
      fitMs[i]! += performance.now() - started;
    }
    options.onWindow?.(w + 1, all.length);
  }
  return {
    origins,
    horizonSteps: options.horizonSteps,
    models: models.map((m, i) => ({
      model: m.name,
      ...pick(acc[i]!.result()),
      windows: origins.length - skipped[i]!,
      skippedWindows: skipped[i]!,
      fitSeconds: fitMs[i]! / 1000,
    })),
    windowErrors,
  };
}

async function fitOrCondition(
  model: Forecaster,
  train: RegularSeries,
  reuse: ({ fitted: FittedForecaster; window: number } | null)[],
  i: number,
  w: number,
  refitEvery: number,
): Promise<FittedForecaster> {
  const last = reuse[i];
  if (last && w - last.window < refitEvery) return moveToNewer({ forecaster: model, fitted: last.fitted, series: train });
  const fitted = await model.fit(train);
  reuse[i] = { fitted, window: w };
  return fitted;
}

function pickKeys(all: Record<string, number[]>, levels: readonly number[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const q of levels) out[quantileKey(q)] = all[quantileKey(q)] as number[];
  return out;
}

function pick(r: ReturnType<ErrorAccumulator['result']>): Pick<ModelScore, 'mase' | 'smape' | 'pinball' | 'coverage'> {
  return { mase: r.mase, smape: r.smape, pinball: r.pinball, coverage: r.coverage };
}
