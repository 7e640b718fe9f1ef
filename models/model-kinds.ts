import type { LstmHyperParameters } from './lstm/lstm-options';
import type { EpochProgress } from './lstm/lstm-training';
import type { TfBackendRequest } from './tf-backend/backend-selection';
import type { Forecaster, FittedForecaster, ModelArtifact, RefitCost } from './core/forecaster';
import { OnlineCalibrated, OnlineCalibratedForecaster, levelsOf } from './core/online-calibrated';
import { ENSEMBLE, EnsembleForecaster, FittedEnsemble } from './ensemble/ensemble';
import { FittedLstm, LSTM, LstmForecaster, type LstmOptions } from './lstm/lstm';
import { FittedMstl, MSTL, MstlForecaster } from './mstl/mstl';
import { FittedSeasonal, SEASONAL, SeasonalForecaster } from './seasonal/seasonal';
import { FittedSeasonalNaive, SEASONAL_NAIVE, SeasonalNaiveForecaster } from './seasonal-naive/seasonal-naive';

/** Options for models that train (LSTM, and the ensemble through its LSTM member). */
export interface TrainingOptions {
  backend?: TfBackendRequest;
  lstm?: Partial<LstmHyperParameters>;
  /** Held-out origins of the ensemble (default 24). */
  ensembleHoldoutWindows?: number;
  now?: () => number;
  onEpoch?: (progress: EpochProgress) => void;
}

/** What a model kind offers: a new unfitted forecaster, and a fitted one rebuilt from its artifact. */
export interface ModelKind {
  /** What refitting a model of this kind costs: the `refitCost` of every model it fits. */
  readonly refitCost: RefitCost;
  /**
   * @param horizonSteps the longest horizon the fitted model will be asked for.
   * @param training options of trained models (backend, hyper-parameters, progress); statistical models ignore it.
   */
  create(options: { horizonSteps: number; training?: TrainingOptions }): Forecaster;
  fromArtifact(artifact: ModelArtifact): FittedForecaster;
  /**
   * The artifact format this code writes and reads (`ModelArtifact.formatVersion`); raised
   * when a model's state changes shape, so the registry refuses older artifacts.
   */
  readonly formatVersion: number;
}

/**
 * Share of the ensemble's weight kept on the seasonal member, whatever the held-out windows
 * say. Measured over the development traces (test/data/traces), any share from 0.2 to 0.5 gave the same accuracy
 * (docs/training.md); 0.3 leaves the held-out windows most of the say.
 */
const ENSEMBLE_PRIOR_SHARE = 0.3;

/**
 * Every model kind without its online calibration, sorted by name; written by hand so adding
 * a model is one visible line. The ensemble's members come from here: the ensemble calibrates
 * its combination, not each member.
 */
const UNCALIBRATED_KINDS: Readonly<Record<string, ModelKind>> = {
  [ENSEMBLE]: {
    formatVersion: 1,
    refitCost: 'high',
    create: ({ horizonSteps, training }) =>
      new EnsembleForecaster({
        horizonSteps,
        members: [
          new SeasonalNaiveForecaster(),
          new SeasonalForecaster({ horizonSteps }),
          new LstmForecaster(lstmOptions(horizonSteps, training)),
          new MstlForecaster({ horizonSteps }),
        ],
        prior: { member: SEASONAL, share: ENSEMBLE_PRIOR_SHARE },
        ...(training?.ensembleHoldoutWindows !== undefined ? { holdoutWindows: training.ensembleHoldoutWindows } : {}),
      }),
    fromArtifact: (a) => FittedEnsemble.fromArtifact(a, { create: (kind, horizonSteps) => uncalibrated(kind).create({ horizonSteps }), fromArtifact: (m) => uncalibrated(m.kind).fromArtifact(m) }),
  },
  [LSTM]: {
    formatVersion: 1,
    refitCost: 'high',
    create: ({ horizonSteps, training }) => new LstmForecaster(lstmOptions(horizonSteps, training)),
    fromArtifact: (a) => FittedLstm.fromArtifact(a),
  },
  [MSTL]: {
    formatVersion: 1,
    refitCost: 'high',
    create: ({ horizonSteps }) => new MstlForecaster({ horizonSteps }),
    fromArtifact: (a) => FittedMstl.fromArtifact(a),
  },
  [SEASONAL]: {
    formatVersion: 1,
    refitCost: 'low',
    create: ({ horizonSteps }) => new SeasonalForecaster({ horizonSteps }),
    fromArtifact: (a) => FittedSeasonal.fromArtifact(a),
  },
  [SEASONAL_NAIVE]: {
    formatVersion: 1,
    refitCost: 'low',
    create: () => new SeasonalNaiveForecaster(),
    fromArtifact: (a) => FittedSeasonalNaive.fromArtifact(a),
  },
};

/**
 * Every model kind as served: its fitted models carry the online calibration of their
 * quantiles (models/core/online-calibrated.ts), kept through `condition` and the artifact.
 */
export const MODEL_KINDS: Readonly<Record<string, ModelKind>> = Object.fromEntries(
  Object.entries(UNCALIBRATED_KINDS).map(([name, kind]): [string, ModelKind] => [
    name,
    {
      formatVersion: kind.formatVersion,
      refitCost: kind.refitCost,
      create: (options) => new OnlineCalibratedForecaster(kind.create(options), options.horizonSteps),
      fromArtifact: (a) => new OnlineCalibrated(kind.fromArtifact(a), levelsOf(a), horizonOf(a)),
    },
  ]),
);

/** The horizon an artifact was fitted for, where its state says so (every kind but seasonal-naive). */
function horizonOf(artifact: ModelArtifact): number {
  const state = artifact.state as { horizonSteps?: unknown; regression?: { coefficients?: unknown[] } | null; shape?: { horizon?: unknown } } | null;
  const h = state?.horizonSteps ?? state?.shape?.horizon ?? state?.regression?.coefficients?.length;
  return typeof h === 'number' && h >= 1 ? h : 1;
}

function uncalibrated(name: string): ModelKind {
  const kind = UNCALIBRATED_KINDS[name];
  if (!kind) throw new RangeError(`unknown model "${name}" (known: ${modelKindNames().join(', ')})`);
  return kind;
}

function lstmOptions(horizonSteps: number, training: TrainingOptions = {}): LstmOptions {
  const { lstm, ensembleHoldoutWindows: _w, ...rest } = training;
  return { ...lstm, ...rest, horizonSteps };
}

/** `forecast.model: auto`: training picks the kind per series (src/model-selection/model-choice.ts). */
export const AUTO_MODEL = 'auto';

/**
 * The kind a refresh fits for a configured `forecast.model` when no trained version serves:
 * with `auto` the seasonal model, which every history supports (it degrades by stage as
 * history shrinks, and seasonal-naive backs it up).
 */
export function fitKindFor(configured: string): string {
  return configured === AUTO_MODEL ? SEASONAL : configured;
}

export function modelKindNames(): string[] {
  return Object.keys(MODEL_KINDS).sort();
}

/** @throws {RangeError} naming the known kinds when `name` is not one of them. */
export function modelKind(name: string): ModelKind {
  const kind = MODEL_KINDS[name];
  if (!kind) throw new RangeError(`unknown model "${name}" (known: ${modelKindNames().join(', ')})`);
  return kind;
}
