import type { PublishedForecast } from '../forecast/published-forecast';
import type { ForecastQuery } from './forecast-query';
import type { MetricFallback } from './metric-provider';

export interface SelectedValue {
  value: number;
  /** Why the value is not the forecast (safety rule 2), when it is not. */
  fallback?: Extract<MetricFallback, 'stale' | 'no-points'>;
}

/**
 * One number from a published forecast (already cut to [current step, now + horizon]):
 * the quantile at the last step (`at`) or the maximum over all steps (`max`).
 * A stale series, or one with no points in range, serves its last observation instead
 * (safety rule 2: stale input falls back to what was seen). The value may be NaN or negative
 * when the model's output is; the metric value service's `usableReading` handles that. Pure.
 */
export function selectForecastValue(forecast: PublishedForecast, query: ForecastQuery): SelectedValue {
  if (forecast.stale) return { value: forecast.lastObserved.v, fallback: 'stale' };
  const points = forecast.points;
  if (points.length === 0) return { value: forecast.lastObserved.v, fallback: 'no-points' };
  const key = String(query.quantile);
  const at = (i: number): number => points[i]!.quantiles[key] ?? points[i]!.value;
  if (query.aggregate === 'at') return { value: at(points.length - 1) };
  // A plain loop: this runs on every HPA request, and map plus a spread allocate twice.
  let value = at(0);
  for (let i = 1; i < points.length; i++) value = Math.max(value, at(i));
  return { value };
}
