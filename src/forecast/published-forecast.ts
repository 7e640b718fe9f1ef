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
  points: PublishedPoint[];
}

/**
 * The part of a cached forecast that a reader at `nowMs` asked for: the steps from the
 * current one to `nowMs + horizonSeconds`. Pure, so every transport publishes the same view.
 */
export function publishForecast(
  cached: CachedForecast,
  series: Pick<SeriesConfig, 'step' | 'quantiles'>,
  options: { nowMs: number; horizonSeconds: number; stale: boolean },
): PublishedForecast {
  const { forecast } = cached;
  const stepMs = forecast.stepSeconds * 1000;
  const fromMs = alignToStep(options.nowMs, series.step);
  // The window is whole steps from the current one, so every reader within a step sees the same points.
  const toMs = fromMs + options.horizonSeconds * 1000;
  const points: PublishedPoint[] = [];
  for (let i = 0; i < forecast.mean.length; i++) {
    const t = forecast.startMs + i * stepMs;
    if (t < fromMs) continue;
    if (t > toMs) break;
    const quantiles: Record<string, number> = {};
    for (const q of series.quantiles) {
      const values = forecast.quantiles[String(q)];
      if (values) quantiles[String(q)] = values[i] as number;
    }
    points.push({ t, value: forecast.mean[i] as number, quantiles });
  }
  return {
    series: cached.series,
    model: forecast.model,
    generatedAtMs: cached.generatedAtMs,
    stepSeconds: forecast.stepSeconds,
    horizonSeconds: options.horizonSeconds,
    lastObserved: cached.lastObserved,
    stale: options.stale,
    ...(cached.fallbackReason !== undefined ? { fallbackReason: cached.fallbackReason } : {}),
    points,
  };
}
