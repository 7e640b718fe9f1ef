import type { ForecastService } from '../forecast/forecast-service';
import type { Clock } from '../time/clock';
import { parseForecastQuery } from './forecast-query';
import type { MetricProvider, MetricReading } from './metric-provider';
import { selectForecastValue } from './select-forecast-value';

/** Serves every configured series as an external metric of the same name. */
export class ForecastMetricProvider implements MetricProvider {
  readonly kind = 'forecast';

  constructor(
    private readonly forecasts: Pick<ForecastService, 'seriesConfig' | 'seriesNames' | 'forecast'>,
    private readonly clock: Clock,
  ) {}

  owns(metricName: string): boolean {
    return this.forecasts.seriesNames().includes(metricName);
  }

  read(metricName: string, params: Readonly<Record<string, string>>, fieldPrefix: string): MetricReading {
    const series = this.forecasts.seriesConfig(metricName);
    const query = parseForecastQuery(params, { horizonSeconds: series.horizon, quantiles: series.quantiles }, fieldPrefix);
    const published = this.forecasts.forecast(metricName, query.horizonSeconds);
    const selected = selectForecastValue(published, query);
    return {
      metricName,
      value: selected.value,
      timestampMs: this.clock.now(),
      windowSeconds: published.stepSeconds,
      stale: selected.fallback !== undefined,
    };
  }

  metricNames(): string[] {
    return this.forecasts.seriesNames();
  }
}
