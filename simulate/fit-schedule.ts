import { type FittedForecaster, InsufficientHistoryError, type RefitCost, type RegularSeries } from '../models/core/forecaster';
import { modelKind } from '../models/model-kinds';
import { AUTO, AutoTrainings } from './auto-trainings';

/** When a replay's model is fitted: the same rule in the replay's thread and in the worker that fits ahead (fits-ahead.ts). */
export interface FitScheduleOptions {
  /** History needed before the first fit. */
  readonly minHistorySeconds: number;
  /** Time between refits of a model cheap to refit (`refitCost` low). */
  readonly retrainEverySeconds: number;
  /**
   * Time between refits of a model whose refit trains or costs seconds (`refitCost` high: the
   * LSTM, MSTL, the ensemble), as `prescale train` on `training.schedule`; each starts from the
   * model it replaces (`FitOptions.warmStart`), as the trainer does.
   */
  readonly trainEverySeconds: number;
}

/** What a fit needs besides its history. */
export interface FitSpec {
  /** Model kind from `models/model-kinds.ts`, or `auto` (auto-trainings.ts). */
  readonly model: string;
  readonly horizonSteps: number;
  readonly seed: number;
  /** History a fit sees (the newest part), bounding fit time on long traces. */
  readonly trainWindowSeconds: number;
}

/** The last successful scheduled fit: what it cost and the history length it was fitted at. */
export interface LastFit {
  readonly refitCost: RefitCost;
  readonly atLength: number;
}

/**
 * The history length of the next scheduled fit attempt: the first length with
 * `minHistorySeconds` of history while nothing is fitted, then the refit period of the last
 * fit's kind after it, and always after the last attempt (an attempt that found too little
 * history is tried again one step later).
 */
export function nextFitAttempt(options: FitScheduleOptions, stepSeconds: number, last: LastFit | null, lastAttempt: number | null): number {
  const afterAttempt = lastAttempt === null ? 1 : lastAttempt + 1;
  if (last === null) return Math.max(Math.ceil(options.minHistorySeconds / stepSeconds), afterAttempt);
  const every = last.refitCost === 'high' ? options.trainEverySeconds : options.retrainEverySeconds;
  return Math.max(last.atLength + Math.ceil(every / stepSeconds), afterAttempt);
}

/** The newest `windowSeconds` of the first `length` steps of `series`. */
export function newestWindow(series: RegularSeries, length: number, windowSeconds: number): RegularSeries {
  const n = Math.min(length, series.values.length);
  const from = n - Math.min(n, Math.ceil(windowSeconds / series.stepSeconds));
  const values = series.values;
  if (from === 0 && n === values.length) return series;
  return {
    startMs: series.startMs + from * series.stepSeconds * 1000,
    stepSeconds: series.stepSeconds,
    values: values instanceof Float64Array ? values.subarray(from, n) : Array.prototype.slice.call(values, from, n),
    timezone: series.timezone,
  };
}

/**
 * One fit of `spec.model` on `window`, starting from `previous` where the kind trains
 * (`FitOptions.warmStart`); null when the window holds too little (observed) history.
 */
export async function fitWindow(spec: FitSpec, window: RegularSeries, previous: FittedForecaster | null): Promise<FittedForecaster | null> {
  try {
    return await modelKind(spec.model)
      .create({ horizonSteps: spec.horizonSteps })
      .fit(window, { seed: spec.seed, ...(previous ? { warmStart: previous } : {}) });
  } catch (err) {
    if (!(err instanceof InsufficientHistoryError)) throw err;
    return null;
  }
}

/** One replay's scheduled fits, called in schedule order with each window and the model the fit replaces. */
export type ScheduledFit = (window: RegularSeries, previous: FittedForecaster | null) => Promise<FittedForecaster | null>;

/** The scheduled fits of one replay: `spec.model` fitted on each window, or under `auto` a training each (auto-trainings.ts). */
export function scheduledFits(spec: FitSpec): ScheduledFit {
  if (spec.model !== AUTO) return (window, previous) => fitWindow(spec, window, previous);
  const trainings = new AutoTrainings(spec, (kind, window) => fitWindow(kind, window, null));
  return (window) => trainings.train(window);
}

/**
 * The refit cost the schedule follows after a fit: the fitted model's, or under `auto` a
 * training's (every `trainEverySeconds`, whatever kind it chose: the service conditions a
 * promoted version between trainings, even a seasonal one).
 */
export function scheduledRefitCost(spec: FitSpec, fitted: FittedForecaster): RefitCost {
  return spec.model === AUTO ? 'high' : fitted.refitCost;
}

/** The refit cost of a replay's model kind before anything is fitted (`auto` trains: high). */
export function modelRefitCost(model: string): RefitCost {
  return model === AUTO ? 'high' : modelKind(model).refitCost;
}
