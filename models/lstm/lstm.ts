import {
  type FitOptions,
  type Forecast,
  type Forecaster,
  type FittedForecaster,
  type ModelArtifact,
  type PredictOptions,
  type RegularSeries,
  type TrainingInfo,
  type WeightsLayout,
  InsufficientHistoryError,
  artifactBytes,
  bracketPoint,
  quantileKey,
  requireStep,
  validatePredictArgs,
} from '../core/forecaster';
import { withoutFlatlineOutages } from '../core/flatline-outages';
import { type HorizonCalibration, calibrateHorizons, calibratedOffset } from '../core/horizon-calibration';
import { forecastStartMs, observedCount } from '../core/series-stats';
import type { TfBackend, TfBackendRequest } from '../tf-backend/backend-selection';
import { type LstmScaler, type LstmShape, SEQ_FEATURES, auxSize, buildSamples, firstOrigin, fitScaler, fromScaled, prepare, trainingOrigins, writeInputs } from './lstm-dataset';
import { LSTM_DEFAULTS, type LstmHyperParameters, lstmShape } from './lstm-options';
import type { EpochProgress } from './lstm-training';
import { type LstmWeights, forward, packWeights, unpackWeights, weightSpecs } from './lstm-weights';

export const LSTM = 'lstm';

export interface LstmOptions extends Partial<LstmHyperParameters> {
  horizonSteps: number;
  /** TensorFlow.js backend for training (prediction runs in plain JS). Default `auto`. */
  backend?: TfBackendRequest;
  /** Monotonic milliseconds for the time budget; default `performance.now`. */
  now?: () => number;
  onEpoch?: (progress: EpochProgress) => void;
}

/** How the fit went, recorded in the registry manifest. */
export interface LstmTrainingInfo {
  backend: TfBackend;
  epochs: number;
  stoppedBy: string;
  bestValLoss: number;
  samples: number;
  fitSeconds: number;
  /** Trained from an earlier fit's weights (`FitOptions.warmStart`); absent in older artifacts. */
  warmStarted?: boolean;
}

/** The input at the forecast origin, precomputed so predict is one forward pass. */
interface LstmOrigin {
  startMs: number;
  seq: number[];
  aux: number[];
  level: number;
}

interface LstmState {
  stepSeconds: number;
  timezone: string;
  shape: LstmShape;
  scaler: LstmScaler;
  hyper: LstmHyperParameters;
  calibration: HorizonCalibration;
  origin: LstmOrigin;
  info: LstmTrainingInfo;
  /** Keras topology of the network, so the saved weights also load with `tf.loadLayersModel`. */
  topology: unknown;
}

/**
 * LSTM forecaster on TensorFlow.js: a small LSTM over recent history (see lstm-dataset.ts
 * for the inputs) with a direct multi-horizon linear head trained on absolute error, so
 * one forward pass gives the whole horizon. Quantiles come from the point forecast plus
 * residual quantiles calibrated per horizon step on the held-out windows.
 */
export class LstmForecaster implements Forecaster {
  readonly name = LSTM;
  private readonly hyper: LstmHyperParameters;
  constructor(private readonly options: LstmOptions) {
    const { horizonSteps: _h, backend: _b, now: _n, onEpoch: _e, ...rest } = options;
    this.hyper = { ...LSTM_DEFAULTS, ...definedOnly(rest) };
  }

  minTrainLength(stepSeconds: number): number {
    const shape = lstmShape(stepSeconds, this.options.horizonSteps, this.hyper.windowSeconds);
    // At least 32 complete training windows (the day and week lags are used when present).
    return firstOrigin(shape) + shape.horizon + 32;
  }

  async fit(input: RegularSeries, fitOptions: FitOptions = {}): Promise<FittedForecaster> {
    const series = withoutFlatlineOutages(input);
    const observed = observedCount(series.values);
    const required = this.minTrainLength(series.stepSeconds);
    if (observed < required || series.values.length < required) throw new InsufficientHistoryError(this.name, required, observed);
    const { trainNetwork, useTfBackend } = loadTraining();
    const { backend } = await useTfBackend(this.options.backend ?? 'auto');
    const now = this.options.now ?? (() => performance.now());
    const started = now();
    const hyper = { ...this.hyper, seed: fitOptions.seed ?? this.hyper.seed };
    const shape = lstmShape(series.stepSeconds, this.options.horizonSteps, hyper.windowSeconds);
    const scaler = fitScaler(series.values);
    const prepared = prepare(series, scaler, shape);
    const origins = trainingOrigins(prepared, shape, hyper.maxSamples);
    if (origins.length < 32) throw new InsufficientHistoryError(this.name, required + 32 - origins.length, observed);
    const nVal = Math.max(8, Math.round(origins.length * hyper.validationShare));
    const train = buildSamples(prepared, shape, origins.slice(0, -nVal));
    const val = buildSamples(prepared, shape, origins.slice(-nVal));
    const warm = warmStartWeights(fitOptions.warmStart, shape, hyper.units);
    const net = await trainNetwork(shape, train, val, {
      units: hyper.units,
      learningRate: hyper.learningRate,
      batchSize: hyper.batchSize,
      maxEpochs: hyper.maxEpochs,
      patience: hyper.patience,
      timeBudgetMs: hyper.timeBudgetSeconds * 1000,
      seed: hyper.seed,
      now,
      ...(this.options.onEpoch ? { onEpoch: this.options.onEpoch } : {}),
      ...warm,
    });
    const calibration = calibrateHorizons(validationResiduals(net.weights, shape, val));
    const info: LstmTrainingInfo = {
      backend,
      epochs: net.epochs,
      stoppedBy: net.stoppedBy,
      bestValLoss: net.bestValLoss,
      samples: origins.length,
      fitSeconds: (now() - started) / 1000,
      warmStarted: warm.initialWeights !== undefined,
    };
    const base = { stepSeconds: series.stepSeconds, timezone: series.timezone, shape, scaler, hyper, calibration, info, topology: net.topology };
    return new FittedLstm({ ...base, origin: originOf(series, base) }, net.weights);
  }
}

/**
 * TensorFlow.js is loaded on the first fit only: serving, conditioning and prediction run
 * the network in plain JS (lstm-weights.ts), so the HTTP process never pays for tfjs.
 */
function loadTraining(): typeof import('./lstm-training') & typeof import('../tf-backend/tfjs-backend-loader') {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load, see above */
  return { ...(require('./lstm-training') as typeof import('./lstm-training')), ...(require('../tf-backend/tfjs-backend-loader') as typeof import('../tf-backend/tfjs-backend-loader')) };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * The weights of an earlier LSTM of the same dimensions, to train from instead of the seeded
 * initialisation: a retraining on a series that moved by a day starts near where the last one
 * ended, so early stopping ends it in fewer epochs (docs/training.md has the numbers).
 */
function warmStartWeights(previous: FittedForecaster | undefined, shape: LstmShape, units: number): { initialWeights?: LstmWeights } {
  if (!(previous instanceof FittedLstm)) return {};
  const w = previous.networkWeights;
  const same = w.units === units && w.features === SEQ_FEATURES && w.auxSize === auxSize(shape) && w.horizon === shape.horizon;
  return same ? { initialWeights: w } : {};
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validationResiduals(weights: LstmWeights, shape: LstmShape, val: ReturnType<typeof buildSamples>): number[][] {
  const residuals: number[][] = Array.from({ length: shape.horizon }, () => []);
  const seqWidth = shape.seqLen * SEQ_FEATURES;
  const a = auxSize(shape);
  val.origins.forEach((_, k) => {
    const out = forward(weights, val.seq, k * seqWidth, shape.seqLen, val.aux, k * a);
    for (let h = 0; h < shape.horizon; h++) residuals[h]!.push((val.target[k * shape.horizon + h] as number) - (out[h] as number));
  });
  return residuals;
}

function originOf(series: RegularSeries, s: Pick<LstmState, 'shape' | 'scaler'>): LstmOrigin {
  const t = series.values.length;
  if (t < firstOrigin(s.shape)) throw new InsufficientHistoryError(LSTM, firstOrigin(s.shape), t);
  // The inputs at origin t read the calendar of the last window only: the rest is not computed
  // (local time over two weeks of minutes was most of a conditioning's cost outside UTC).
  const p = prepare(series, s.scaler, s.shape, t - firstOrigin(s.shape));
  const seq = new Float32Array(s.shape.seqLen * SEQ_FEATURES);
  const aux = new Float32Array(auxSize(s.shape));
  const level = writeInputs(p, s.shape, t, seq, 0, aux, 0);
  return { startMs: forecastStartMs(series), seq: Array.from(seq), aux: Array.from(aux), level };
}

class FittedLstm implements FittedForecaster {
  readonly name = LSTM;
  /** A refit trains the network. */
  readonly refitCost = 'high';
  private readonly output: Float64Array;
  constructor(
    private readonly state: LstmState,
    private readonly weights: LstmWeights,
  ) {
    this.output = forward(weights, state.origin.seq, 0, state.shape.seqLen, state.origin.aux, 0);
  }

  get info(): LstmTrainingInfo {
    return this.state.info;
  }

  /** The trained weights (read-only: shared by every conditioned copy), for a warm start. */
  get networkWeights(): LstmWeights {
    return this.weights;
  }

  trainingInfo(): TrainingInfo {
    return { backend: this.state.info.backend, calibration: this.state.calibration, warmStarted: this.state.info.warmStarted === true };
  }

  predict(horizonSteps: number, options: PredictOptions): Forecast {
    validatePredictArgs(horizonSteps, options);
    const { scaler, origin, calibration, shape } = this.state;
    const mean: number[] = [];
    const quantiles: Record<string, number[]> = {};
    for (const q of options.quantiles) quantiles[quantileKey(q)] = [];
    for (let h = 1; h <= horizonSteps; h++) {
      // Beyond the trained horizon the last head's value is held.
      const center = origin.level + (this.output[Math.min(h, shape.horizon) - 1] as number);
      const point = fromScaled(scaler, center);
      mean.push(point);
      for (const q of options.quantiles) quantiles[quantileKey(q)]!.push(bracketPoint(q, fromScaled(scaler, center + calibratedOffset(calibration, h, q)), point));
    }
    return { startMs: origin.startMs, stepSeconds: this.state.stepSeconds, mean, quantiles, model: this.name };
  }

  /** Keeps weights, scaler and calibration; recomputes the input window at the end of `series`. */
  async condition(input: RegularSeries): Promise<FittedForecaster> {
    const series = withoutFlatlineOutages(input);
    requireStep(series, this.state.stepSeconds);
    return new FittedLstm({ ...this.state, origin: originOf(series, this.state) }, this.weights);
  }

  toArtifact(): ModelArtifact {
    return { kind: LSTM, formatVersion: 1, state: this.state, weights: packWeights(this.weights), weightsLayout: tfjsLayout(this.state) };
  }

  static fromArtifact(artifact: ModelArtifact): FittedLstm {
    if (artifact.kind !== LSTM) throw new RangeError(`not an LSTM artifact: ${artifact.kind}`);
    const state = artifact.state as LstmState;
    const dims = { units: state.hyper.units, features: SEQ_FEATURES, auxSize: auxSize(state.shape), horizon: state.shape.horizon };
    return new FittedLstm(state, unpackWeights(dims, artifactBytes(artifact.weights)));
  }
}

/** The Keras topology and tfjs weight specs of an LSTM's weights (see `ModelArtifact.weightsLayout`). */
function tfjsLayout(state: LstmState): WeightsLayout {
  const dims = { units: state.hyper.units, features: SEQ_FEATURES, auxSize: auxSize(state.shape), horizon: state.shape.horizon };
  return { modelTopology: state.topology as object, weightSpecs: weightSpecs(dims) };
}

export { FittedLstm };
