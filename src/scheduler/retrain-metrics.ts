import { Counter, Gauge, type Registry } from 'prom-client';
import type { SeriesJobRecord } from './job-history';

/**
 * Counters the retrain scheduler bumps; per-series timestamps are read from the job history at scrape time.
 *
 * `prescale_training_job_runs_total{series,result}` counts scheduled jobs (success/failure of
 * train + refit), while the training service's `prescale_training_runs_total{result}` counts
 * every training run by promotion outcome, whatever started it: related, not duplicates.
 */
export interface RetrainMetrics {
  /** `prescale_training_job_runs_total{series,result}`; result is `success` or `failure`. */
  runs: Counter<'series' | 'result'>;
  /** `prescale_training_skipped_total{reason}`; reason is `overlap` or `not_leader`. */
  skipped: Counter<'reason'>;
}

/**
 * Registers the retrain scheduler's metrics on `registry`. `read` is called at every scrape
 * for the job history and the leadership, so the gauges never lag behind the scheduler.
 */
export function createRetrainMetrics(registry: Registry, read: () => { records: readonly SeriesJobRecord[]; leader: boolean }): RetrainMetrics {
  const fromRecords = (name: string, help: string, pick: (r: SeriesJobRecord) => number | null): void => {
    new Gauge({
      name,
      help,
      labelNames: ['series'],
      registers: [registry],
      collect() {
        this.reset();
        for (const r of read().records) {
          const v = pick(r);
          if (v !== null) this.set({ series: r.series }, v);
        }
      },
    });
  };
  fromRecords('prescale_training_last_start_timestamp_seconds', 'Unix time the last training run of the series started.', (r) => (r.lastStartMs === null ? null : r.lastStartMs / 1000));
  fromRecords('prescale_training_last_success_timestamp_seconds', 'Unix time the last successful training run of the series finished.', (r) => (r.lastSuccessMs === null ? null : r.lastSuccessMs / 1000));
  fromRecords('prescale_training_last_failure_timestamp_seconds', 'Unix time the last failed training run of the series finished (the last good model kept serving).', (r) => (r.lastFailureMs === null ? null : r.lastFailureMs / 1000));
  fromRecords('prescale_training_last_duration_seconds', 'Duration of the last finished training run of the series.', (r) => r.lastDurationSeconds);
  new Gauge({
    name: 'prescale_training_leader',
    help: '1 when this replica holds the training leader lock (only the leader trains on schedule).',
    registers: [registry],
    collect() {
      this.set(read().leader ? 1 : 0);
    },
  });
  return {
    runs: new Counter({ name: 'prescale_training_job_runs_total', help: 'Scheduled training jobs per series by result (success, failure).', labelNames: ['series', 'result'], registers: [registry] }),
    skipped: new Counter({
      name: 'prescale_training_skipped_total',
      help: 'Scheduled training rounds skipped, by reason (overlap: the previous round still runs; not_leader: another replica trains).',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
