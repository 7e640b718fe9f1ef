import type { ForecastService } from '../forecast/forecast-service';
import type { Clock } from '../time/clock';
import { type ForecastQuery, parseForecastQuery } from './forecast-query';
import type { MetricProvider, ProviderReading } from './metric-provider';
import { selectForecastValue } from './select-forecast-value';

/** Serves every configured series as an external metric of the same name. */
export class ForecastMetricProvider implements MetricProvider {
  readonly kind = 'forecast';
  /**
   * Parsed queries per params object and metric: the external metrics API hands the same
   * params object for a URL it has seen (its response cache), so the hot path parses once.
   */
  private readonly queries = new WeakMap<Readonly<Record<string, string>>, Map<string, ForecastQuery>>();

  constructor(
    private readonly forecasts: Pick<ForecastService, 'seriesConfig' | 'seriesNames' | 'forecast'>,
    private readonly clock: Clock,
  ) {}

  owns(metricName: string): boolean {
    return this.forecasts.seriesNames().includes(metricName);
  }

  read(metricName: string, params: Readonly<Record<string, string>>, fieldPrefix: string): ProviderReading {
    const query = this.query(metricName, params, fieldPrefix);
    const published = this.forecasts.forecast(metricName, query.horizonSeconds);
    const selected = selectForecastValue(published, query);
    return {
      metricName,
      value: selected.value,
      timestampMs: this.clock.now(),
      windowSeconds: published.stepSeconds,
      // Stale means the input is: a forecast with no step in range is a fallback, not stale input.
      stale: published.stale,
      ...(selected.fallback !== undefined ? { fallback: selected.fallback } : {}),
      lastObserved: published.lastObserved.v,
    };
  }

  private query(metricName: string, params: Readonly<Record<string, string>>, fieldPrefix: string): ForecastQuery {
    let byMetric = this.queries.get(params);
    const known = byMetric?.get(metricName);
    if (known) return known;
    const series = this.forecasts.seriesConfig(metricName);
    const query = parseForecastQuery(params, { horizonSeconds: series.horizon, quantiles: series.quantiles }, fieldPrefix);
    if (!byMetric) this.queries.set(params, (byMetric = new Map()));
    byMetric.set(metricName, query);
    return query;
  }

  metricNames(): string[] {
    return this.forecasts.seriesNames();
  }
}
