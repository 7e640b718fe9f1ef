import type { LstmShape } from './lstm-dataset';

/** Hyper-parameters of the LSTM forecaster; every one has a default sized for a 2-core CPU. */
export interface LstmHyperParameters {
  /** LSTM units. */
  units: number;
  /** Span of recent history the sequence covers, in seconds (a day at steps of an hour or more). */
  windowSeconds: number;
  maxEpochs: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  /** Wall-clock budget of one fit, in seconds. */
  timeBudgetSeconds: number;
  batchSize: number;
  learningRate: number;
  /** Most training windows drawn from the history (evenly spread, newest kept). */
  maxSamples: number;
  /** Share of the (newest) windows held out for early stopping and calibration. */
  validationShare: number;
  seed: number;
}

export const LSTM_DEFAULTS: Readonly<LstmHyperParameters> = {
  units: 32,
  windowSeconds: 3 * 3600,
  maxEpochs: 40,
  patience: 4,
  timeBudgetSeconds: 60,
  batchSize: 128,
  learningRate: 0.005,
  maxSamples: 1500,
  validationShare: 0.15,
  seed: 7,
};

/** Longest input sequence: LSTM cost grows with it, so fine steps are averaged into blocks. */
const MAX_SEQ = 16;

/** The input window: steps of an hour or more see a day; finer steps see `windowSeconds` in at most 16 blocks. */
export function lstmShape(stepSeconds: number, horizonSteps: number, windowSeconds: number): LstmShape {
  const horizon = Math.max(1, horizonSteps);
  if (stepSeconds >= 3600) return { seqLen: Math.max(2, Math.round(86_400 / stepSeconds)), blockSize: 1, horizon };
  const windowSteps = Math.max(2, Math.round(windowSeconds / stepSeconds));
  if (windowSteps <= 24) return { seqLen: Math.max(12, windowSteps), blockSize: 1, horizon };
  return { seqLen: MAX_SEQ, blockSize: Math.round(windowSteps / MAX_SEQ), horizon };
}
