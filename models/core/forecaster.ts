/**
 * The forecaster contract: an unfitted {@link Forecaster} is fitted on a regular series and
 * returns a {@link FittedForecaster}, so "predict before fit" cannot be written
 * (the Fit → Predict split of grafana/augurs).
 */

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
}

export interface FittedForecaster {
  readonly name: string;
  /**
   * Predicts `horizonSteps` steps after the training data.
   * @throws {RangeError} when `horizonSteps` < 1 or a quantile lies outside (0, 1).
   */
  predict(horizonSteps: number, options: PredictOptions): Forecast;
  /**
   * Optional: predicts `horizonSteps` steps after the end of `history` with the fitted
   * parameters, without refitting. `history` is the training series extended by newer
   * observations (same step and timezone; it may also start later, since a model reads only
   * the recent tail it conditions on). This is how a caller that retrains on a schedule
   * still reacts to every new observation cheaply. Models without it are refitted, or their
   * last forecast is read further out.
   * @throws {RangeError} as {@link predict}, or when `history` has another step.
   */
  predictFrom?(history: RegularSeries, horizonSteps: number, options: PredictOptions): Forecast;
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

/** Too little data is an error, never a number: the caller decides the fallback. */
export class InsufficientHistoryError extends Error {
  readonly code = 'INSUFFICIENT_HISTORY';
  constructor(
    readonly model: string,
    readonly required: number,
    readonly actual: number,
  ) {
    super(`${model} needs at least ${required} values, got ${actual}`);
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
