import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SourceStatus } from '../sources/source-status';

/** Metrics of the pull sources; `series` comes from the config, so cardinality is bounded. */
export interface SourceMetrics {
  pulls: Counter<'series' | 'result'>;
  samplesPulled: Counter<'series'>;
  /** Pulled samples not stored, by reason (`future`: beyond `server.maxFutureSkew`). */
  samplesDropped: Counter<'series' | 'reason'>;
  pullDuration: Histogram<'series'>;
}

export function createSourceMetrics(registry: Registry, read: () => readonly SourceStatus[]): SourceMetrics {
  new Gauge({
    name: 'prescale_source_up',
    help: '1 when the last pull from the series source succeeded, 0 when it failed or its query is a config_error (serving continues on the stored history).',
    labelNames: ['series'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of read()) if (s.state !== 'unknown') this.set({ series: s.series }, s.state === 'up' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'prescale_source_last_success_timestamp_seconds',
    help: 'Unix time of the last successful pull from the series source.',
    labelNames: ['series'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of read()) if (s.lastSuccessMs !== null) this.set({ series: s.series }, s.lastSuccessMs / 1000);
    },
  });
  return {
    pulls: new Counter({
      name: 'prescale_source_pulls_total',
      help: 'Pulls from a source by result (success, failure); a pull includes its retries.',
      labelNames: ['series', 'result'],
      registers: [registry],
    }),
    samplesPulled: new Counter({ name: 'prescale_source_samples_pulled_total', help: 'Samples pulled from sources.', labelNames: ['series'], registers: [registry] }),
    samplesDropped: new Counter({
      name: 'prescale_source_samples_dropped_total',
      help: 'Pulled samples not stored, by reason (future: more than server.maxFutureSkew ahead of the service clock).',
      labelNames: ['series', 'reason'],
      registers: [registry],
    }),
    pullDuration: new Histogram({
      name: 'prescale_source_pull_duration_seconds',
      help: 'Time of one pull (all chunks and retries).',
      labelNames: ['series'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}
