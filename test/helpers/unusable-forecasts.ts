import { parseConfig } from '../../src/config/load-config';
import type { SeriesConfig } from '../../src/config/schema';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { PublishedForecast } from '../../src/forecast/published-forecast';
import { ForecastMetricProvider } from '../../src/metric-providers/forecast-metric-provider';
import type { MetricFallback } from '../../src/metric-providers/metric-provider';
import { MetricValueService } from '../../src/metric-providers/metric-value-service';

export const UNUSABLE_NOW_MS = Date.UTC(2026, 11, 1, 9, 0, 0);

/** One row: what the model published (every point at `forecast`), and what every consumer must see. */
export interface UnusableCase {
  series: string;
  forecast: number | null;
  lastObserved: number;
  expected: { value: number; fallback?: MetricFallback } | { error: 'FORECAST_NOT_READY' };
}

/** `forecast: null` = no point in the asked range. */
export const UNUSABLE_CASES: readonly UnusableCase[] = [
  { series: 'usable', forecast: 12.5, lastObserved: 7, expected: { value: 12.5 } },
  { series: 'nan', forecast: NaN, lastObserved: 7, expected: { value: 7, fallback: 'non-finite' } },
  { series: 'infinity', forecast: Infinity, lastObserved: 7, expected: { value: 7, fallback: 'non-finite' } },
  { series: 'minus-infinity', forecast: -Infinity, lastObserved: 7, expected: { value: 7, fallback: 'non-finite' } },
  { series: 'negative', forecast: -5, lastObserved: 7, expected: { value: 0, fallback: 'clamped-negative' } },
  { series: 'no-points', forecast: null, lastObserved: 7, expected: { value: 7, fallback: 'no-points' } },
  { series: 'no-points-negative-observation', forecast: null, lastObserved: -3, expected: { value: 0, fallback: 'clamped-negative' } },
  { series: 'nan-and-nan-observation', forecast: NaN, lastObserved: NaN, expected: { error: 'FORECAST_NOT_READY' } },
];

const config = parseConfig({ series: UNUSABLE_CASES.map((c) => ({ name: c.series, step: '1m', horizon: '1h' })) });

function published(c: UnusableCase, series: SeriesConfig): PublishedForecast {
  const points =
    c.forecast === null
      ? []
      : [1, 2, 3].map((i) => ({ t: UNUSABLE_NOW_MS + i * 60_000, value: c.forecast as number, quantiles: Object.fromEntries(series.quantiles.map((q) => [String(q), c.forecast as number])) }));
  return { series: c.series, model: 'test', generatedAtMs: UNUSABLE_NOW_MS, stepSeconds: 60, horizonSeconds: 300, lastObserved: { t: UNUSABLE_NOW_MS - 60_000, v: c.lastObserved }, stale: false, points };
}

/**
 * The real metric value service and forecast provider over a forecast table that publishes
 * what no trained model here can be made to: NaN, ±Infinity, negatives, an empty range. Follows
 * the forecast service's rules (SERIES_NOT_FOUND for an unknown name, the config's series).
 */
export function unusableValueService(): MetricValueService {
  const byName = new Map(config.series.map((s) => [s.name, s]));
  const forecasts = {
    seriesNames: () => [...byName.keys()],
    seriesConfig(name: string): SeriesConfig {
      const s = byName.get(name);
      if (!s) throw new PrescaleError('SERIES_NOT_FOUND', `series "${name}" is not configured`, 'series');
      return s;
    },
    forecast(name: string): PublishedForecast {
      const c = UNUSABLE_CASES.find((x) => x.series === name);
      if (!c) throw new PrescaleError('SERIES_NOT_FOUND', `series "${name}" is not configured`, 'series');
      return published(c, forecasts.seriesConfig(name));
    },
  };
  return new MetricValueService({ providers: [new ForecastMetricProvider(forecasts, { now: () => UNUSABLE_NOW_MS })], namespaces: [] });
}
