import type { PublishedForecast } from '../forecast/published-forecast';
import type { ForecastQuery } from './forecast-query';
import type { MetricFallback } from './metric-provider';

export interface SelectedValue {
  value: number;
  /** Why the value is not the forecast (safety rule 2), when it is not. */
  fallback?: Extract<MetricFallback, 'stale' | 'no-points' | 'trust-gate'>;
}

/**
 * One number from a published forecast (already cut to [current step, now + horizon]):
 * the quantile at the last step (`at`) or the maximum over all steps (`max`).
 * A stale series serves that value floored at its last observation, flagged `stale` (safety
 * rule 2, docs/degradation.md row 1: the last good forecast, never below what was seen); a
 * view with no points in range serves its last observation. A view the trust gate holds at the
 * reactive demand is flagged `trust-gate`. The value may be NaN or negative
 * when the model's output is; the metric value service's `usableReading` handles that. Pure.
 */
export function selectForecastValue(forecast: PublishedForecast, query: ForecastQuery): SelectedValue {
  const points = forecast.points;
  if (points.length === 0) return { value: forecast.lastObserved.v, fallback: forecast.stale ? 'stale' : 'no-points' };
  if (forecast.stale) {
    const value = pick(points, query);
    return { value: value >= forecast.lastObserved.v ? value : forecast.lastObserved.v, fallback: 'stale' };
  }
  // The view's points are already the reactive demand (src/forecast/trust-fallback.ts); this names why.
  if (forecast.trustFallback) return { value: pick(points, query), fallback: 'trust-gate' };
  return { value: pick(points, query) };
}

function pick(points: PublishedForecast['points'], query: ForecastQuery): number {
  const key = String(query.quantile);
  const at = (i: number): number => points[i]!.quantiles[key] ?? points[i]!.value;
  if (query.aggregate === 'at') return at(points.length - 1);
  // A plain loop: this runs on every HPA request, and map plus a spread allocate twice.
  let value = at(0);
  for (let i = 1; i < points.length; i++) value = Math.max(value, at(i));
  return value;
}
