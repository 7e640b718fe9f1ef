import { Counter, Gauge, type Registry } from 'prom-client';

export interface TrainingMetrics {
  /** `prescale_training_backend_info{backend}` = 1 for the backend that ran. */
  backendInfo: Gauge<'backend'>;
  runs: Counter<'result'>;
}

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
