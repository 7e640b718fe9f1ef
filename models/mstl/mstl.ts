import {
  type FitOptions,
  type Forecast,
  type Forecaster,
  type FittedForecaster,
  type ModelArtifact,
  type PredictOptions,
  type RegularSeries,
  InsufficientHistoryError,
  bracketPoint,
  quantileKey,
  requireStep,
  validatePredictArgs,
} from '../core/forecaster';
import { withoutFlatlineOutages } from '../core/flatline-outages';
import { normalQuantile } from '../core/normal-quantile';
import { forecastStartMs, observedCount, stepsPerDay } from '../core/series-stats';
import { augursMstl } from './augurs-module';
import { interpolateGaps } from '../core/interpolate-gaps';
import { blockMeans, blockSteps, expandBlocks, withinBlockSd } from './block-means';

export const MSTL = 'mstl';

/** Level of the interval asked of augurs; quantiles are read off it as a Gaussian. */
const INTERVAL_LEVEL = 0.8;
/** Longest history handed to MSTL, in days: bounds fit time on long 1-minute series. */
const MAX_HISTORY_DAYS = 28;
/**
 * A fit forecasts this much further than asked, and `condition` serves that forecast shifted
 * (and level-corrected) until the series has moved past it: a fit of two weeks of 1-minute data
 * takes about 100 ms as block means, and the service conditions its model on every new sample.
 */
const REUSE_SECONDS = 3600;
/**
 * Weight of the newest one-step error in the level correction `condition` keeps while it
 * reads a stored forecast (an exponentially weighted mean of that forecast's errors, added to
 * it, as an ETS level update would). Measured on the four development minute traces, the last
 * two days conditioned on every step: without it the stored forecast ignores every sample until
 * the refit; 0.3 is within 4 % of the best of 0.1, 0.3 and 0.6 on each (docs/training.md).
 */
const LEVEL_CORRECTION_WEIGHT = 0.3;

/** Finer steps are fitted as means of blocks of about this long (block-means.ts). */
const BLOCK_SECONDS = 300;

export interface MstlOptions {
  /** The longest horizon the fitted model will be asked for. */
  horizonSteps: number;
}

interface MstlState {
  startMs: number;
  stepSeconds: number;
  horizonSteps: number;
  /**
   * Point forecast from `startMs` on: a day plus `horizonSteps` steps plus the reuse slack, so
   * that at least one whole day of it is always left to extend past its end (`predict`).
   */
  point: number[];
  /** Steps `condition` may still move the origin along `point` before it refits (absent in older artifacts). */
  reusableSteps?: number;
  /** Season length in steps (a day) by which `predict` extends `point` past its end (absent in older artifacts). */
  periodSteps?: number;
  /** Standard deviation of the forecast error per step (from augurs' interval). */
  sigma: number[];
  /** True when the history never went below zero: forecasts are kept at or above zero. */
  nonNegative: boolean;
  /** Added to the stored forecast: the weighted mean of its errors since the fit (LEVEL_CORRECTION_WEIGHT; absent: 0). */
  levelCorrection?: number;
}

/**
 * grafana/augurs MSTL (multiple seasonal-trend decomposition by Loess, with an AutoETS model
 * of the deseasonalised rest), in WebAssembly: daily seasonality, and weekly from two weeks
 * of history. As an ensemble member it brings a different error profile from the seasonal
 * model (a smooth trend and a Loess seasonal shape rather than recency-weighted profiles),
 * which is what makes combining them pay. Gaps are filled by linear interpolation first,
 * since MSTL needs a full grid. The fitted model keeps only its forecast: augurs exposes no
 * state that newer data could update, so `condition` reads that forecast from the later
 * origin while it lasts (REUSE_SECONDS), corrected by its errors since, then refits.
 */
export class MstlForecaster implements Forecaster {
  readonly name = MSTL;
  constructor(private readonly options: MstlOptions) {}

  minTrainLength(stepSeconds: number): number {
    return 2 * stepsPerDay(stepSeconds);
  }

  async fit(input: RegularSeries, _options?: FitOptions): Promise<FittedForecaster> {
    const series = withoutFlatlineOutages(input);
    const n = observedCount(series.values);
    const need = this.minTrainLength(series.stepSeconds);
    if (n < need) throw new InsufficientHistoryError(this.name, need, n);
    const day = stepsPerDay(series.stepSeconds);
    // Long outages are filled from neighbouring days, never as a line (learned as a flat season).
    const periods = [...mstlPeriods(Math.min(series.values.length, MAX_HISTORY_DAYS * day), day)].reverse();
    const values = interpolateGaps(series.values, MAX_HISTORY_DAYS * day, { periodSteps: periods, maxLinearSteps: Math.max(3, Math.round(day / 24)) });
    const block = blockSteps(series.stepSeconds, day, BLOCK_SECONDS);
    const fitted = block > 1 ? blockMeans(values, block) : values;
    const model = augursMstl().MSTL.ets(mstlPeriods(fitted.length, day / block));
    try {
      model.fit(fitted);
      const H = this.options.horizonSteps;
      const reusableSteps = Math.floor(REUSE_SECONDS / series.stepSeconds);
      const steps = day + H + reusableSteps;
      const f = model.predict(Math.ceil(steps / block) + 1, INTERVAL_LEVEL);
      const z = normalQuantile(0.5 + INTERVAL_LEVEL / 2);
      const upper = f.intervals?.upper ?? f.point;
      const lower = f.intervals?.lower ?? f.point;
      const sigma = f.point.map((_, i) => Math.max(0, ((upper[i] as number) - (lower[i] as number)) / (2 * z)));
      // A forecast of block means misses the spread within a block: added back (a day of blocks).
      const within = block > 1 ? withinBlockSd(values, fitted, block, day / block) : 0;
      return new FittedMstl({
        startMs: forecastStartMs(series),
        stepSeconds: series.stepSeconds,
        horizonSteps: H,
        point: block > 1 ? expandBlocks(f.point, fitted[fitted.length - 1] as number, block, steps) : Array.from(f.point),
        sigma: block > 1 ? expandBlocks(sigma, 0, block, steps).map((sd) => Math.hypot(sd, within)) : sigma,
        nonNegative: !values.some((v) => v < 0),
        reusableSteps,
        periodSteps: day,
      });
    } finally {
      model.free();
    }
  }
}

class FittedMstl implements FittedForecaster {
  readonly name = MSTL;
  /** A fit of weeks of 1-minute data takes seconds: callers condition it (REUSE_SECONDS). */
  readonly refitCost = 'high';
  constructor(private readonly state: MstlState) {}

  predict(horizonSteps: number, options: PredictOptions): Forecast {
    validatePredictArgs(horizonSteps, options);
    const s = this.state;
    const floor = (v: number): number => (s.nonNegative ? Math.max(0, v) : v);
    const correction = s.levelCorrection ?? 0;
    const extended = extendSeasonally(s, horizonSteps);
    const point = extended.point.map((p) => p + correction);
    const sigma = extended.sigma;
    const mean = point.map(floor);
    const quantiles: Record<string, number[]> = {};
    for (const q of options.quantiles) {
      const z = normalQuantile(q);
      quantiles[quantileKey(q)] = mean.map((m, i) => bracketPoint(q, floor((point[i] as number) + z * (sigma[i] as number)), m));
    }
    return { startMs: s.startMs, stepSeconds: s.stepSeconds, mean, quantiles, model: this.name };
  }

  /**
   * The same forecast read from a later origin while it still covers the horizon, with its
   * level corrected by its errors on the samples since (see LEVEL_CORRECTION_WEIGHT); else a refit.
   */
  async condition(input: RegularSeries): Promise<FittedForecaster> {
    const series = withoutFlatlineOutages(input);
    const s = this.state;
    requireStep(series, s.stepSeconds);
    const advanced = (forecastStartMs(series) - s.startMs) / (s.stepSeconds * 1000);
    const reusable = s.reusableSteps ?? s.point.length - s.horizonSteps;
    if (Number.isInteger(advanced) && advanced >= 0 && advanced <= reusable) {
      if (advanced === 0) return this;
      const levelCorrection = correctedLevel(s.levelCorrection ?? 0, s.point, series.values, advanced);
      const point = s.point.slice(advanced);
      const sigma = s.sigma.slice(advanced);
      return new FittedMstl({ ...s, startMs: forecastStartMs(series), point, sigma, reusableSteps: reusable - advanced, levelCorrection });
    }
    return new MstlForecaster({ horizonSteps: s.horizonSteps }).fit(series);
  }

  toArtifact(): ModelArtifact {
    return { kind: MSTL, formatVersion: 1, state: this.state };
  }

  static fromArtifact(artifact: ModelArtifact): FittedMstl {
    return new FittedMstl(artifact.state as MstlState);
  }
}

/**
 * The level correction after `advanced` more samples: each observed one moves it by
 * LEVEL_CORRECTION_WEIGHT toward that sample's error against the stored (uncorrected)
 * forecast for it. `stored[i]` forecasts the i-th of the newest `advanced` values; gaps leave it.
 */
function correctedLevel(correction: number, stored: readonly number[], values: ArrayLike<number>, advanced: number): number {
  const from = values.length - advanced;
  let c = correction;
  for (let i = 0; i < advanced; i++) {
    const y = values[from + i] as number;
    if (Number.isFinite(y) && from + i >= 0) c += LEVEL_CORRECTION_WEIGHT * (y - (stored[i] as number) - c);
  }
  return c;
}

/** Seasonal periods in steps for `length` values: a day, and a week once two weeks are there. */
export function mstlPeriods(length: number, day: number): number[] {
  return (length >= 14 * day ? [day, 7 * day] : [day]).filter((p) => p > 1);
}

/**
 * The stored forecast over `horizonSteps` steps. Past its end (a caller asking further than
 * the fitted horizon, e.g. the simulator's planning window) it continues by whole seasons:
 * step i repeats step i − k·period of the stored forecast, which holds MSTL's last seasonal
 * shape and trend level, with the last step's error spread.
 */
function extendSeasonally(s: MstlState, horizonSteps: number): { point: number[]; sigma: number[] } {
  const stored = s.point.length;
  if (horizonSteps <= stored) return { point: s.point.slice(0, horizonSteps), sigma: s.sigma.slice(0, horizonSteps) };
  const period = Math.min(Math.max(1, s.periodSteps ?? stored), stored);
  const point = s.point.slice();
  const sigma = s.sigma.slice();
  const lastSigma = (s.sigma[stored - 1] as number | undefined) ?? 0;
  for (let i = stored; i < horizonSteps; i++) {
    point.push(point[i - period] as number);
    sigma.push(lastSigma);
  }
  return { point, sigma };
}

export { FittedMstl };
