import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../core/seeded-random';
import { type LstmShape, SEQ_FEATURES, type SampleSet, auxSize } from './lstm-dataset';
import type { LstmWeights } from './lstm-weights';

export interface EpochProgress {
  epoch: number;
  maxEpochs: number;
  loss: number;
  valLoss: number;
  elapsedMs: number;
  /** Time left at most: the smaller of the remaining epochs at the current pace and the budget left. */
  etaMs: number;
}

export interface NetworkTrainOptions {
  units: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  /** Training stops after the epoch that crosses this budget. */
  timeBudgetMs: number;
  seed: number;
  /** Monotonic milliseconds, injected for testable budgets. */
  now: () => number;
  onEpoch?: (progress: EpochProgress) => void;
  /** Weights to start from instead of the seeded initialisation (a warm start); same dimensions as the network. */
  initialWeights?: LstmWeights;
}

export interface TrainedNetwork {
  weights: LstmWeights;
  /** Keras-style topology, so a saved model loads with `tf.loadLayersModel`. */
  topology: unknown;
  epochs: number;
  bestValLoss: number;
  stoppedBy: 'early-stopping' | 'max-epochs' | 'time-budget';
}

/** Builds the network: LSTM over the block sequence, its last state and the side inputs into one linear head. */
export function buildNetwork(shape: LstmShape, units: number, seed: number): tf.LayersModel {
  const seqIn = tf.input({ shape: [shape.seqLen, SEQ_FEATURES], name: 'seq' });
  const auxIn = tf.input({ shape: [auxSize(shape)], name: 'aux' });
  const lstm = tf.layers
    .lstm({
      units,
      name: 'lstm',
      // The JS forward pass (lstm-weights.ts) assumes the logistic gate; tfjs defaults to hard sigmoid.
      recurrentActivation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      // Orthogonal (the default) is slow to initialise in tfjs and needs no seed here.
      recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    })
    .apply(seqIn) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({ name: 'join' }).apply([lstm, auxIn]) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: shape.horizon, name: 'head', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) })
    .apply(joined) as tf.SymbolicTensor;
  return tf.model({ inputs: [seqIn, auxIn], outputs: out, name: 'prescale_lstm' });
}

/**
 * Trains with Adam on the absolute error (MASE is an absolute error), stopping early on the
 * validation loss, at `maxEpochs`, or once the time budget is spent; keeps the best epoch's
 * weights. Every tensor made here is disposed before returning.
 */
export async function trainNetwork(shape: LstmShape, train: SampleSet, val: SampleSet, options: NetworkTrainOptions): Promise<TrainedNetwork> {
  const started = options.now();
  const order = seededPermutation(train.origins.length, options.seed);
  const model = buildNetwork(shape, options.units, options.seed);
  if (options.initialWeights) setNetworkWeights(model, options.initialWeights);
  const optimizer = tf.train.adam(options.learningRate);
  model.compile({ optimizer, loss: 'meanAbsoluteError' });
  const tensors = [
    tf.tensor3d(permuteRows(train.seq, order, shape.seqLen * SEQ_FEATURES), [order.length, shape.seqLen, SEQ_FEATURES]),
    tf.tensor2d(permuteRows(train.aux, order, auxSize(shape)), [order.length, auxSize(shape)]),
    tf.tensor2d(permuteRows(train.target, order, shape.horizon), [order.length, shape.horizon]),
    tf.tensor3d(val.seq, [val.origins.length, shape.seqLen, SEQ_FEATURES]),
    tf.tensor2d(val.aux, [val.origins.length, auxSize(shape)]),
    tf.tensor2d(val.target, [val.origins.length, shape.horizon]),
  ] as const;
  const [xs, xa, ys, vs, va, vy] = tensors;
  let best = { loss: Infinity, weights: snapshot(model, shape, options.units), epoch: 0 };
  let stoppedBy: TrainedNetwork['stoppedBy'] = 'max-epochs';
  let epochs = 0;
  try {
    await model.fit([xs, xa], ys, {
      epochs: options.maxEpochs,
      batchSize: options.batchSize,
      // Rows were shuffled once with the seed: tfjs' own shuffle uses Math.random.
      shuffle: false,
      validationData: [[vs, va], vy],
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) => {
          epochs = epoch + 1;
          const valLoss = Number(logs?.['val_loss'] ?? Number.NaN);
          if (valLoss < best.loss) best = { loss: valLoss, weights: snapshot(model, shape, options.units), epoch: epochs };
          const elapsedMs = options.now() - started;
          const paceMs = elapsedMs / epochs;
          const etaMs = Math.max(0, Math.min((options.maxEpochs - epochs) * paceMs, options.timeBudgetMs - elapsedMs));
          options.onEpoch?.({ epoch: epochs, maxEpochs: options.maxEpochs, loss: Number(logs?.['loss'] ?? Number.NaN), valLoss, elapsedMs, etaMs });
          if (epochs - best.epoch >= options.patience) {
            stoppedBy = 'early-stopping';
            model.stopTraining = true;
          } else if (elapsedMs + paceMs > options.timeBudgetMs) {
            stoppedBy = 'time-budget';
            model.stopTraining = true;
          }
        },
      },
    });
    return { weights: best.weights, topology: model.toJSON(null, false), epochs, bestValLoss: best.loss, stoppedBy };
  } finally {
    for (const t of tensors) t.dispose();
    model.dispose();
    optimizer.dispose();
  }
}

/** Loads `weights` (the layout `snapshot` writes) into the network's layers. */
function setNetworkWeights(model: tf.LayersModel, weights: LstmWeights): void {
  const load = (layer: string, parts: readonly Float32Array[]): void => {
    const current = model.getLayer(layer).getWeights();
    const tensors = parts.map((p, i) => tf.tensor(p, current[i]!.shape));
    model.getLayer(layer).setWeights(tensors);
    for (const t of tensors) t.dispose();
  };
  load('lstm', [weights.kernel, weights.recurrent, weights.bias]);
  load('head', [weights.dense, weights.denseBias]);
}

/** Copies the current weights out of the tensors into plain arrays. */
function snapshot(model: tf.LayersModel, shape: LstmShape, units: number): LstmWeights {
  const [kernel, recurrent, bias] = model.getLayer('lstm').getWeights().map((t) => t.dataSync() as Float32Array) as [Float32Array, Float32Array, Float32Array];
  const [dense, denseBias] = model.getLayer('head').getWeights().map((t) => t.dataSync() as Float32Array) as [Float32Array, Float32Array];
  return {
    units,
    features: SEQ_FEATURES,
    auxSize: auxSize(shape),
    horizon: shape.horizon,
    kernel: Float32Array.from(kernel),
    recurrent: Float32Array.from(recurrent),
    bias: Float32Array.from(bias),
    dense: Float32Array.from(dense),
    denseBias: Float32Array.from(denseBias),
  };
}

function seededPermutation(n: number, seed: number): number[] {
  const rand = seededRandom(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

function permuteRows(data: Float32Array, order: readonly number[], width: number): Float32Array {
  const out = new Float32Array(order.length * width);
  order.forEach((row, k) => out.set(data.subarray(row * width, (row + 1) * width), k * width));
  return out;
}
