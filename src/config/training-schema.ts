import { z } from 'zod';
import { durationSeconds } from './schema-helpers';
import { trainingScheduleShape } from './training-schedule-schema';

/** LSTM hyper-parameters (models/lstm/lstm-options.ts has the meaning of each). */
const lstmSchema = z
  .strictObject({
    units: z.number().int().min(1).max(512).default(32).describe('LSTM units.'),
    window: durationSeconds.default(3 * 3600).describe('Recent history the input sequence covers (a day at steps of an hour or more).'),
    maxEpochs: z.number().int().min(1).max(1000).default(40).describe('Most training epochs.'),
    patience: z.number().int().min(1).max(100).default(4).describe('Epochs without a better validation loss before stopping early.'),
    timeBudget: durationSeconds.default(120).describe('Wall-clock budget of one LSTM fit.'),
    batchSize: z.number().int().min(1).max(4096).default(128).describe('Training batch size.'),
    learningRate: z.number().gt(0).max(1).default(0.005).describe('Adam learning rate.'),
    maxSamples: z.number().int().min(64).max(100_000).default(1500).describe('Most training windows drawn from the history.'),
    seed: z.number().int().default(7).describe('Seed: the same seed on the same backend gives the same model.'),
  })
  .prefault({});

/** Versions the registry keeps per series by default (`training.keepVersions`). */
export const DEFAULT_KEEP_VERSIONS = 10;

/** Training of the LSTM and ensemble models, off the serving path, and the model registry. */
export const trainingSchema = z
  .strictObject({
    backend: z
      .enum(['auto', 'gpu', 'node', 'wasm', 'cpu'])
      .default('auto')
      .describe('TensorFlow.js backend: auto tries gpu (tfjs-node-gpu), node (tfjs-node), wasm, then cpu; a named one that is missing is an error.'),
    workers: z.number().int().min(1).max(16).default(1).describe('Worker threads that train models (never the HTTP thread).'),
    model: z.enum(['ensemble', 'lstm']).default('ensemble').describe('Kind of model that training produces.'),
    modelsDir: z.string().min(1).optional().describe('Model registry folder (default: <storage.dataDir>/models).'),
    promotionMargin: z.number().min(0).max(1).default(0.02).describe('A candidate is promoted only if its held-out MASE is this fraction below the current version.'),
    keepVersions: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(DEFAULT_KEEP_VERSIONS)
      .describe('Model versions kept per series: after each registration the oldest beyond this many are deleted, never the promoted one or the one a rollback would serve.'),
    holdout: durationSeconds.default(86_400).describe('Newest stretch of history held out to compare a candidate with the current version.'),
    warmStart: z
      .boolean()
      .default(true)
      .describe(
        "Train a candidate of the promoted version's kind from its weights (the LSTM, alone or in the ensemble) when that version was trained on data older than the held-out stretch: about half the epochs on minute data. Off: every fit starts from the seed, so it depends only on the seed and the data.",
      ),
    lstm: lstmSchema,
    // When training runs (schedule, leader lock): see training-schedule-schema.ts.
    ...trainingScheduleShape,
  })
  .prefault({});

export type TrainingConfig = z.output<typeof trainingSchema>;
