import type { RegularSeries, Seasonality } from '../../models/core/forecaster';
import type { EpochProgress } from '../../models/lstm/lstm-training';
import type { TfBackendRequest } from '../../models/tf-backend/backend-selection';
import type { TrainingConfig } from '../../src/config/training-schema';
import type { RegistryLocation } from '../registry/registry-store';
import type { TrainResult } from '../trainer';

/** A training job as plain data, so it crosses into a worker thread. */
export interface TrainingJob {
  seriesName: string;
  series: RegularSeries;
  horizonSteps: number;
  quantiles: readonly number[];
  seasonalities: readonly Seasonality[];
  config: TrainingConfig;
  /** `forecast.model: auto`: the trainer picks the kind (see `TrainRequest.chooseKind`). */
  chooseKind?: boolean;
  /** The registry the worker registers into (it opens its own: a folder, or a pool on the database). */
  registry: RegistryLocation;
}

/**
 * What `training-worker.ts` answers: `train` fits and registers a model, reporting each
 * epoch; `probe` activates a TensorFlow.js backend and replies with the one that ran.
 */
export type TrainingProtocol = {
  train: { request: TrainingJob; reply: TrainResult; progress: EpochProgress };
  probe: { request: TfBackendRequest; reply: string };
};
