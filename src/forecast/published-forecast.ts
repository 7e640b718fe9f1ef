import type { SeriesConfig } from '../config/schema';
import type { Sample } from '../series/sample';
import { alignToStep } from '../series/regularize';
import type { CachedForecast } from './cached-forecast';

export interface PublishedPoint {
  /** Epoch ms of the step. */
  t: number;
  /** Point forecast. */
  value: number;
  /** Per quantile key (`"0.5"`, `"0.9"`), the forecast at that quantile. */
  quantiles: Record<string, number>;
}

export interface PublishedForecast {
  series: string;
  model: string;
  generatedAtMs: number;
  stepSeconds: number;
  horizonSeconds: number;
  lastObserved: Sample;
  stale: boolean;
  fallbackReason?: string;
  /**
   * Set while the series' trust gate is engaged (docs/accuracy.md): every point is the reactive
   * demand (the peak observation over the observation-floor window) because live accuracy fell
   * below the gate's thresholds; `reason` is
   * `mase-ratio` or `coverage`, `sinceMs` when the gate engaged.
   */
  trustFallback?: { reason: 'mase-ratio' | 'coverage'; detail: string; sinceMs: number };
  /** One point per step from the current step to `now + horizonSeconds`; never empty. */
  points: PublishedPoint[];
}

/** The model name of a view made from the last observation alone (no model has answered yet). */
export const LAST_OBSERVATION_MODEL = 'last-observation';

/** Says why a view's points are the last observation: no forecast exists for the series. */
export const NO_FORECAST_REASON = 'no model has produced a forecast yet (first refresh running, or every model failed); every point is the last observation';

/** Says why some of a view's points are the last observation: the cached forecast ends before them. */
export const BEYOND_FORECAST_REASON = 'the last forecast ends before the horizon; later steps are the last observation';

/**
 * A stand-in for the cache entry of a series that has samples but no forecast (the first
 * refresh is running, or every model of the ladder failed): an empty forecast, so
 * `publishForecast` serves every step as the last observation (degradation row 3).
 */
export function lastObservationOnly(series: string, last: Sample, options: { stepSeconds: number; nowMs: number }): CachedForecast {
  return {
    series,
    forecast: { startMs: last.t, stepSeconds: options.stepSeconds, mean: [], quantiles: {}, model: LAST_OBSERVATION_MODEL },
    generatedAtMs: options.nowMs,
    lastObserved: last,
    fallbackReason: NO_FORECAST_REASON,
  };
}

/**
 * The part of a cached forecast that a reader at `nowMs` asked for: every step from the
 * current one to `nowMs + horizonSeconds`. A step the cached forecast does not cover (it was
 * made long ago, or the series has no forecast) is `last`, value and every quantile, so a
 * view is never empty and never plans below the last observation for lack of points
 * (degradation rows 2 and 3). Pure, so every transport publishes the same view.
 */
export function publishForecast(
  cached: CachedForecast,
  series: Pick<SeriesConfig, 'step' | 'quantiles'>,
  options: { nowMs: number; horizonSeconds: number; stale: boolean; last: Sample },
): PublishedForecast {
  const { forecast } = cached;
  const forecastStepMs = forecast.stepSeconds * 1000;
  const stepMs = series.step * 1000;
  const keys = series.quantiles.map(String);
  const fromMs = alignToStep(options.nowMs, series.step);
  // The window is whole steps from the current one, so every reader within a step sees the same points.
  const toMs = fromMs + options.horizonSeconds * 1000;
  const points: PublishedPoint[] = [];
  let filled = 0;
  for (let t = fromMs; t <= toMs; t += stepMs) {
    const i = (t - forecast.startMs) / forecastStepMs;
    if (Number.isInteger(i) && i >= 0 && i < forecast.mean.length) {
      const quantiles: Record<string, number> = {};
      for (const key of keys) {
        const values = forecast.quantiles[key];
        if (values) quantiles[key] = values[i] as number;
      }
      points.push({ t, value: forecast.mean[i] as number, quantiles });
    } else {
      filled++;
      points.push({ t, value: options.last.v, quantiles: Object.fromEntries(keys.map((k) => [k, options.last.v])) });
    }
  }
  const reasons = [cached.fallbackReason, filled > 0 && forecast.mean.length > 0 ? BEYOND_FORECAST_REASON : undefined].filter((r) => r !== undefined);
  return {
    series: cached.series,
    model: forecast.model,
    generatedAtMs: cached.generatedAtMs,
    stepSeconds: series.step,
    horizonSeconds: options.horizonSeconds,
    lastObserved: cached.lastObserved,
    stale: options.stale,
    ...(reasons.length > 0 ? { fallbackReason: reasons.join('; ') } : {}),
    points,
  };
}

/**
 * True when `forecast` has a step for every step of the series' full serving window at
 * `nowMs` (the current step to `nowMs + horizonSeconds`): such a forecast is still worth
 * keeping when a refit fails (degradation row 3: the previous forecast comes first).
 */
export function coversWindow(forecast: CachedForecast['forecast'], options: { nowMs: number; stepSeconds: number; horizonSeconds: number }): boolean {
  if (forecast.mean.length === 0) return false;
  const fromMs = alignToStep(options.nowMs, options.stepSeconds);
  const endMs = forecast.startMs + (forecast.mean.length - 1) * forecast.stepSeconds * 1000;
  return forecast.startMs <= fromMs && endMs >= fromMs + options.horizonSeconds * 1000;
}
