/**
 * The forecaster contract: an unfitted {@link Forecaster} is fitted on a regular series and
 * returns a {@link FittedForecaster}, so "predict before fit" cannot be written
 * (the Fit → Predict split of grafana/augurs).
 */

import type { AdaptiveLevels } from './adaptive-levels';
import type { HorizonCalibration } from './horizon-calibration';

/** A series on a regular step. Missing steps are `NaN`. */
export interface RegularSeries {
  /** Epoch milliseconds of `values[0]`; every later value is `stepSeconds` further on. */
  readonly startMs: number;
  /** Step between consecutive values, in seconds (> 0). */
  readonly stepSeconds: number;
  /** One value per step; `NaN` marks a missing step. Never mutated by a model. */
  readonly values: ArrayLike<number>;
  /** IANA timezone for calendar features (time of day, day of week). */
  readonly timezone: string;
}

/** Which calendar cycles a model may use. */
export type Seasonality = 'daily' | 'weekly';

export interface FitOptions {
  /** Cycles to model; the default is both. */
  readonly seasonalities?: readonly Seasonality[];
  /** Seed for models with randomness; the same seed on the same backend gives the same fit. */
  readonly seed?: number;
  /**
   * An earlier fit on an older part of the same series, which this fit replaces: a kind that
   * trains may start from its parameters instead of from the seed (the LSTM does, and the
   * ensemble passes each member its own), the others ignore it. It must not have been fitted on
   * values past the end of the new fit's training data, or held-out scores would see them.
   */
  readonly warmStart?: FittedForecaster;
}

export interface PredictOptions {
  /** Quantile levels in (0, 1), e.g. `[0.5, 0.9]`. */
  readonly quantiles: readonly number[];
}

/** A forecast on the series' step, starting one step after the last training value. */
export interface Forecast {
  /** Epoch milliseconds of `mean[0]`. */
  readonly startMs: number;
  readonly stepSeconds: number;
  /** Point forecast per step. */
  readonly mean: number[];
  /** Per quantile level (keyed `String(level)`, e.g. `"0.9"`), one value per step. */
  readonly quantiles: Record<string, number[]>;
  /** Name of the model that made it; for fallbacks, the member that actually ran. */
  readonly model: string;
}

/** A fitted model serialized for the registry: JSON state plus optional binary weights. */
export interface ModelArtifact {
  readonly kind: string;
  readonly formatVersion: number;
  /** JSON-safe state. */
  readonly state: unknown;
  /** Binary weights (e.g. neural network tensors), if any. */
  readonly weights?: Uint8Array;
  /**
   * How `weights` splits into tensors, for models whose weights are a Keras network: the
   * registry then writes the standard tfjs files (loadable with `tf.loadLayersModel`).
   * Absent: the weights are stored as one flat float32 tensor.
   */
  readonly weightsLayout?: WeightsLayout;
  /** Adapted quantile levels of the online calibration (online-calibrated.ts), absent when none. */
  readonly onlineCalibration?: AdaptiveLevels;
}

/** A Keras network's topology and the tfjs weight specs of its weights, in order. */
export interface WeightsLayout {
  readonly modelTopology: object;
  readonly weightSpecs: readonly { name: string; shape: number[]; dtype: 'float32' }[];
}

/** What a fit learned that the registry records with a version (manifest.json). */
export interface TrainingInfo {
  /** TensorFlow.js backend the network trained on; null for models without one. */
  readonly backend: string | null;
  /** Held-out calibration of the quantiles; null for models that calibrate no other way than their fit. */
  readonly calibration: HorizonCalibration | null;
  /** True when a network of it trained from an earlier fit's weights (`FitOptions.warmStart`). */
  readonly warmStarted?: boolean;
}

/**
 * How dear a refit is, for callers that can afford one instead of {@link FittedForecaster.condition}
 * (training, backtests: `moveToNewer` in conditioning.ts). `low`: about a prediction's cost
 * per value of history (statistical models); `high`: it trains (networks, ensembles of them).
 */
export type RefitCost = 'low' | 'high';

export interface FittedForecaster {
  readonly name: string;
  /** See {@link RefitCost}. */
  readonly refitCost: RefitCost;
  /**
   * Predicts `horizonSteps` steps after the training data (or after the series it was
   * last conditioned on).
   * @throws {RangeError} when `horizonSteps` < 1 or a quantile lies outside (0, 1).
   */
  predict(horizonSteps: number, options: PredictOptions): Forecast;
  /**
   * The same fitted model moved to the end of a newer series: the result forecasts from one
   * step after the last value of `series`. This is how a caller that retrains on a schedule
   * still reacts to every new observation cheaply (serving, the simulator, held-out scoring).
   *
   * What it may reuse: everything the fit learned (network weights, seasonal profile,
   * regression coefficients, calibration) is kept; everything read from recent values
   * (lags, level, last season, calendar position, forecast start) is recomputed from
   * `series`. It never trains a network. Where the learned state *is* the recent values the
   * model refits instead, at the same low cost (seasonal-naive: its last season; mstl: it reads
   * its stored forecast further out and refits once that no longer covers the horizon; the
   * ensemble refits its cheap statistical members and conditions its trained ones).
   *
   * `series` is the training series extended by newer observations: same step and timezone;
   * it may start later, since a model reads only the recent tail. Neither `series` nor this
   * model is changed.
   * @throws {RangeError} when `series` has another step.
   * @throws {InsufficientHistoryError} when `series` is too short to form the model's inputs.
   */
  condition(series: RegularSeries): Promise<FittedForecaster>;
  /** What the fit learned for the registry; absent for models with nothing to record. */
  trainingInfo?(): TrainingInfo;
  toArtifact(): ModelArtifact;
}

export interface Forecaster {
  /** Stable kind name, e.g. `seasonal-naive`. */
  readonly name: string;
  /** Fewest non-missing values `fit` accepts for a series on this step. */
  minTrainLength(stepSeconds: number): number;
  /**
   * Fits on `series` without mutating it.
   * @throws {InsufficientHistoryError} when the series is shorter than {@link minTrainLength}.
   */
  fit(series: RegularSeries, options?: FitOptions): Promise<FittedForecaster>;
}

/**
 * Too little data is an error, never a number: the caller decides the fallback. The one
 * error for it everywhere (models, trainer, backtest); `code` is the catalog code
 * `INSUFFICIENT_HISTORY` (src/errors/prescale-error.ts), so transports map it like any other.
 * Callers test `instanceof`, never the message.
 */
export class InsufficientHistoryError extends Error {
  readonly code = 'INSUFFICIENT_HISTORY';
  /**
   * @param model the model (or stage, e.g. `promotion gate`) that needs the history.
   * @param required values it needs; `actual` values it got (observed, or in total, whichever is short).
   * @param detail replaces the default message when the shortfall needs explaining.
   */
  constructor(
    readonly model: string,
    readonly required: number,
    readonly actual: number,
    detail?: string,
  ) {
    super(detail ?? `${model} needs at least ${required} values, got ${actual}`);
    this.name = 'InsufficientHistoryError';
  }
}

export function quantileKey(level: number): string {
  return String(level);
}

export function validatePredictArgs(horizonSteps: number, options: PredictOptions): void {
  if (!Number.isInteger(horizonSteps) || horizonSteps < 1) {
    throw new RangeError(`horizonSteps must be a positive integer, got ${horizonSteps}`);
  }
  for (const q of options.quantiles) {
    if (!(q > 0 && q < 1)) throw new RangeError(`quantile must lie in (0, 1), got ${q}`);
  }
}

/**
 * The weights of an artifact as bytes, also after a JSON round trip (which turns a
 * Uint8Array into an array or an index-keyed object). Empty when there are none.
 */
export function artifactBytes(weights: unknown): Uint8Array {
  if (weights instanceof Uint8Array) return weights;
  if (Array.isArray(weights)) return Uint8Array.from(weights as number[]);
  if (weights && typeof weights === 'object') return Uint8Array.from(Object.values(weights as Record<string, number>));
  return new Uint8Array(0);
}

/** Keeps a quantile on its side of the point forecast, so intervals always bracket the point. */
export function bracketPoint(level: number, value: number, point: number): number {
  if (level < 0.5) return Math.min(value, point);
  if (level > 0.5) return Math.max(value, point);
  return value;
}

/**
 * Guards `condition`: a model moves only along the series it was fitted on.
 * @throws {RangeError} when `series` is on another step than `stepSeconds`.
 */
export function requireStep(series: RegularSeries, stepSeconds: number): void {
  if (series.stepSeconds !== stepSeconds) throw new RangeError(`series step ${series.stepSeconds}s differs from the fitted step ${stepSeconds}s`);
}
