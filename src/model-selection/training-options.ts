import type { TrainingOptions } from '../../models/model-kinds';
import type { TrainingConfig } from '../config/training-schema';

/** Maps the `training` config section onto the models' training options. */
export function trainingOptions(config: TrainingConfig): TrainingOptions {
  const l = config.lstm;
  return {
    backend: config.backend,
    lstm: {
      units: l.units,
      windowSeconds: l.window,
      maxEpochs: l.maxEpochs,
      patience: l.patience,
      timeBudgetSeconds: l.timeBudget,
      batchSize: l.batchSize,
      learningRate: l.learningRate,
      maxSamples: l.maxSamples,
      seed: l.seed,
    },
  };
}
