import type { RegularSeries, Seasonality } from '../../models/core/forecaster';
import type { EpochProgress } from '../../models/lstm/lstm-training';
import type { TfBackendRequest } from '../../models/tf-backend/backend-selection';
import type { TrainingConfig } from '../../src/config/training-schema';
import type { TrainResult } from '../trainer';

/** A training job as plain data, so it crosses into a worker thread. */
export interface TrainingJob {
  seriesName: string;
  series: RegularSeries;
  horizonSteps: number;
  quantiles: readonly number[];
  seasonalities: readonly Seasonality[];
  config: TrainingConfig;
  modelsDir: string;
}

export type ToWorker = { id: number; kind: 'train'; job: TrainingJob } | { id: number; kind: 'probe'; backend: TfBackendRequest };

export type FromWorker =
  | { id: number; kind: 'progress'; progress: EpochProgress }
  | { id: number; kind: 'result'; result: TrainResult }
  | { id: number; kind: 'backend'; backend: string }
  | { id: number; kind: 'error'; message: string; code?: string };
