import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Metrics of the training service (every training run, whatever started it: the REST API,
 * the retrain scheduler or a test). The scheduler's own job counters live beside it, in
 * `src/scheduler/retrain-metrics.ts`.
 */
export interface TrainingMetrics {
  /** `prescale_training_backend_info{backend}` = 1 for the backend that ran. */
  backendInfo: Gauge<'backend'>;
  /** `prescale_training_runs_total{result}`; result is `promoted`, `rejected` or `failed`. */
  runs: Counter<'result'>;
}

/** Registers the training service's metrics on `registry`. */
export function createTrainingMetrics(registry: Registry): TrainingMetrics {
  return {
    backendInfo: new Gauge({
      name: 'prescale_training_backend_info',
      help: 'TensorFlow.js backend that training runs on (value 1; the label names it).',
      labelNames: ['backend'],
      registers: [registry],
    }),
    runs: new Counter({
      name: 'prescale_training_runs_total',
      help: 'Training runs by outcome: promoted, rejected (failed the promotion gate) or failed.',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
