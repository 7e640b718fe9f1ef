import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Metrics the forecast pipeline updates as it works. Gauges that describe current state
 * (forecast age, staleness) are read at scrape time instead: see `state-gauges.ts`.
 * Labels are bounded: `series` comes from the config, never from requests.
 */
export interface ServiceMetrics {
  samplesIngested: Counter<'series'>;
  /** By outcome (`forecast`, `fallback`, `failed`), not by series: a histogram per series is 13 series each (10 buckets, +Inf, sum, count), 130,000 at ten thousand. */
  refreshDuration: Histogram<'outcome'>;
  refreshFailures: Counter<'series' | 'code'>;
  fallbacks: Counter<'series' | 'reason'>;
}

export function createServiceMetrics(registry: Registry): ServiceMetrics {
  return {
    samplesIngested: new Counter({
      name: 'prescale_samples_ingested_total',
      help: 'Samples accepted into the history store.',
      labelNames: ['series'],
      registers: [registry],
    }),
    refreshDuration: new Histogram({
      name: 'prescale_forecast_refresh_duration_seconds',
      help: 'Time to read history, fit or condition the model and cache a new forecast, by outcome (forecast, fallback, failed).',
      labelNames: ['outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    refreshFailures: new Counter({
      name: 'prescale_forecast_refresh_failures_total',
      help: 'Forecast refreshes that failed; the previous forecast keeps serving.',
      labelNames: ['series', 'code'],
      registers: [registry],
    }),
    fallbacks: new Counter({
      name: 'prescale_forecast_fallbacks_total',
      help: 'Refreshes answered by a simpler model because the configured one could not run.',
      labelNames: ['series', 'reason'],
      registers: [registry],
    }),
  };
}
