import {
  type FitOptions,
  type Forecast,
  type Forecaster,
  type FittedForecaster,
  type ModelArtifact,
  type PredictOptions,
  type RegularSeries,
  type TrainingInfo,
  InsufficientHistoryError,
  artifactBytes,
  bracketPoint,
  quantileKey,
  validatePredictArgs,
} from '../core/forecaster';
import { withoutFlatlineOutages } from '../core/flatline-outages';
import { moveToNewer } from '../core/conditioning';
import { type HorizonCalibration, calibrateHorizons, calibratedOffset } from '../core/horizon-calibration';
import { forecastStartMs, observedCount, seasonalNaiveScale, stepsPerDay } from '../core/series-stats';
import { type TransformKind, chooseTransform, inverse } from '../seasonal/transform';
import { combine, forwardOne, holdoutOrigins, holdoutRun, meanAbs } from './ensemble-holdout';
import { selectCombination } from './ensemble-selection';

export const ENSEMBLE = 'ensemble';
/** Held-out steps the default stretch covers at least (two days of hourly steps are only 48). */
const HELD_OUT_POINTS = 96;

/** Builds member models by kind, for an ensemble read back from its artifact. */
export interface MemberResolver {
  create(kind: string, horizonSteps: number): Forecaster;
  fromArtifact(artifact: ModelArtifact): FittedForecaster;
}

export interface EnsembleOptions {
  horizonSteps: number;
  /** Member models (unfitted); members that cannot fit the series are left out. */
  members: readonly Forecaster[];
  /** Held-out forecast origins that set the weights and calibrate the quantiles (default 24). */
  holdoutWindows?: number;
  /** The member (by name) the weights are shrunk toward, and by how much (ensemble-weights.ts). */
  prior?: { member: string; share: number };
}

/** Held-out error of each member and of the combination, as mean absolute error over a naive scale. */
export type HoldoutScores = Record<string, number>;

interface EnsembleState {
  startMs: number;
  stepSeconds: number;
  horizonSteps: number;
  transform: TransformKind;
  /** Member kinds, in the order of the weights. */
  kinds: string[];
  /** Per horizon step, one weight per member. */
  weights: number[][];
  calibration: HorizonCalibration;
  holdout: HoldoutScores;
  /** What serves: `ensemble` for the combination, else the one member chosen (ensemble-selection.ts); absent in older artifacts. */
  chosen?: string;
}

interface Member {
  forecaster: Forecaster;
  fitted: FittedForecaster;
  /** Epoch ms of the forecast origin of the member's last refit; absent when rebuilt from an artifact. */
  refittedAtMs?: number;
}

/**
 * How often `condition` refits the members that are cheap to refit; between refits they are
 * conditioned. The held-out origins that set the weights lie two hours apart (24 over two
 * days), so a member refitted hourly is never older than the fits the weights were measured
 * on, and a refit on every sample cost 15 ms a step on two weeks of minutes (docs/training.md).
 */
const MEMBER_REFIT_MS = 3_600_000;

/**
 * The served ensemble: members are fitted on the history before a held-out stretch (the
 * last ~2 days), forecast each held-out origin (trained members are conditioned on the
 * newer data, cheap ones refitted), and the held-out errors set per-step combination
 * weights (ensemble-weights.ts) and split-conformal quantiles of the combination
 * (horizon-calibration.ts). Finally every member is brought to the end of the series.
 */
export class EnsembleForecaster implements Forecaster {
  readonly name = ENSEMBLE;
  constructor(private readonly options: EnsembleOptions) {}

  /**
   * 24 windows; when two days hold fewer than HELD_OUT_POINTS steps (hourly and coarser), the
   * held-out stretch grows to that many steps, with an origin every horizon: 24 one-step windows
   * of an hourly series are 24 points, too few to tell a member from the combination
   * (ensemble-selection.ts) or to calibrate a quantile.
   */
  private windows(stepSeconds: number): number {
    if (this.options.holdoutWindows !== undefined) return this.options.holdoutWindows;
    return 2 * stepsPerDay(stepSeconds) >= HELD_OUT_POINTS ? 24 : Math.max(24, Math.ceil(HELD_OUT_POINTS / this.options.horizonSteps));
  }

  minTrainLength(stepSeconds: number): number {
    return stepsPerDay(stepSeconds) + this.options.horizonSteps + this.windows(stepSeconds) + 2;
  }

  async fit(input: RegularSeries, fitOptions: FitOptions = {}): Promise<FittedForecaster> {
    const series = withoutFlatlineOutages(input);
    const n = series.values.length;
    const H = this.options.horizonSteps;
    const required = this.minTrainLength(series.stepSeconds);
    const observed = observedCount(series.values);
    if (n < required || observed < required) throw new InsufficientHistoryError(this.name, required, Math.min(n, observed));
    const day = stepsPerDay(series.stepSeconds);
    const windows = this.windows(series.stepSeconds);
    // Two days, or HELD_OUT_POINTS steps where two days hold fewer.
    const origins = holdoutOrigins(n, H, windows, day, Math.max(2 * day, Math.min(HELD_OUT_POINTS, windows * H)));
    const actuals = origins.map((o) => Array.from({ length: H }, (_, h) => series.values[o + h] as number));
    const members: { forecaster: Forecaster; last: FittedForecaster; forecasts: number[][] }[] = [];
    const { warmStart: previous, ...memberOptions } = fitOptions;
    for (const forecaster of this.options.members) {
      // Each member starts from its own kind in the ensemble this fit replaces. Its trained
      // members were trained before that ensemble's first held-out origin (two days before its
      // end), so when its series ended no later than this one, they have not seen this fit's
      // held-out windows.
      const warm = previous instanceof FittedEnsemble ? previous.member(forecaster.name) : undefined;
      const run = await holdoutRun(forecaster, series, origins, H, warm ? { ...memberOptions, warmStart: warm } : memberOptions);
      if (run) members.push({ forecaster, ...run });
    }
    if (members.length === 0) throw new InsufficientHistoryError(this.name, required + 1, observed);
    const priorIndex = members.findIndex((m) => m.forecaster.name === this.options.prior?.member);
    const prior = this.options.prior && priorIndex >= 0 ? { member: priorIndex, share: this.options.prior.share } : undefined;
    const selection = selectCombination(members.map((m) => m.forecasts), actuals, prior);
    const weights = selection.weights;
    const chosen = selection.choice.kind === 'combination' ? ENSEMBLE : members[selection.choice.member]!.forecaster.name;
    const transform = chooseTransform(series.values);
    const residuals: number[][] = Array.from({ length: H }, () => []);
    const combined = origins.map((_, k) => combine(members.map((m) => m.forecasts[k]!), weights));
    combined.forEach((row, k) => row.forEach((f, h) => residuals[h]!.push(forwardOne(transform, actuals[k]![h]!) - forwardOne(transform, f))));
    const holdout: HoldoutScores = {};
    const naive = seasonalNaiveScale(series.values, stepsPerDay(series.stepSeconds)) || 1;
    members.forEach((m) => (holdout[m.forecaster.name] = meanAbs(m.forecasts, actuals) / naive));
    holdout[ENSEMBLE] = meanAbs(combined, actuals) / naive;
    const fitted: Member[] = [];
    // Cheap members are refitted on the whole series, trained ones conditioned (conditioning.ts).
    const endMs = forecastStartMs(series);
    for (const m of members) fitted.push({ forecaster: m.forecaster, fitted: await moveToNewer({ forecaster: m.forecaster, fitted: m.last, series, fitOptions: memberOptions }), refittedAtMs: endMs });
    const state: EnsembleState = {
      startMs: forecastStartMs(series),
      stepSeconds: series.stepSeconds,
      horizonSteps: H,
      transform,
      kinds: members.map((m) => m.forecaster.name),
      weights,
      calibration: calibrateHorizons(residuals),
      holdout,
      chosen,
    };
    return new FittedEnsemble(state, fitted);
  }
}

class FittedEnsemble implements FittedForecaster {
  readonly name = ENSEMBLE;
  /** Refitting holds out windows and trains every member again. */
  readonly refitCost = 'high';
  /**
   * Indices of the members with weight at some horizon step. The others (all of them but one
   * when a member serves alone) add nothing to a forecast, so they are neither asked nor
   * conditioned until the next fit.
   */
  private readonly used: readonly number[];
  constructor(
    private readonly state: EnsembleState,
    private readonly members: readonly Member[],
  ) {
    this.used = members.map((_, m) => m).filter((m) => state.weights.some((w) => (w[m] ?? 0) !== 0));
  }

  /** Held-out scores of the members and the combination (for the registry manifest). */
  get holdout(): HoldoutScores {
    return this.state.holdout;
  }

  /** `ensemble` when the combination serves, else the name of the member chosen to serve alone. */
  get chosen(): string {
    return this.state.chosen ?? ENSEMBLE;
  }

  /** The fitted member of `kind`, if the ensemble has one. */
  member(kind: string): FittedForecaster | undefined {
    return this.members.find((m) => m.fitted.name === kind)?.fitted;
  }

  /** Its own calibration, and the backend of the member that trained a network (and whether it warm-started). */
  trainingInfo(): TrainingInfo {
    const infos = this.members.map((m) => m.fitted.trainingInfo?.());
    const backend = infos.map((i) => i?.backend ?? null).find((b) => b !== null) ?? null;
    return { backend, calibration: this.state.calibration, warmStarted: infos.some((i) => i?.warmStarted === true) };
  }

  predict(horizonSteps: number, options: PredictOptions): Forecast {
    validatePredictArgs(horizonSteps, options);
    const s = this.state;
    const forecasts = this.used.map((m) => this.members[m]!.fitted.predict(horizonSteps, { quantiles: options.quantiles }));
    const weights = s.weights.map((w) => this.used.map((m) => w[m] as number));
    const mean = combine(
      forecasts.map((f) => f.mean),
      weights,
    );
    const quantiles: Record<string, number[]> = {};
    for (const q of options.quantiles) {
      const key = quantileKey(q);
      // The members' own quantiles, combined with the same weights, are a floor on the interval:
      // the conformal offsets come from fresh held-out fits, and a served model ages until the
      // next training, so an interval never gets narrower than its members say.
      const members = combine(
        forecasts.map((f) => f.quantiles[key] as number[]),
        weights,
      );
      quantiles[key] = mean.map((f, i) => {
        const conformal = inverse(s.transform, forwardOne(s.transform, f) + calibratedOffset(s.calibration, i + 1, q));
        if (q === 0.5) return conformal;
        const widest = q > 0.5 ? Math.max(conformal, members[i] as number) : Math.min(conformal, members[i] as number);
        return bracketPoint(q, widest, f);
      });
    }
    return { startMs: s.startMs, stepSeconds: s.stepSeconds, mean, quantiles, model: this.name };
  }

  /**
   * Brings the members in use to the end of `series`; weights and calibration are kept.
   * Trained members (LSTM, MSTL) are conditioned, never retrained; members that are cheap to
   * refit (seasonal-naive, seasonal: milliseconds) are refitted once {@link MEMBER_REFIT_MS}
   * has passed since their last refit, as the held-out windows that set the weights refitted
   * them at each origin, and conditioned in between.
   */
  async condition(input: RegularSeries): Promise<FittedForecaster> {
    const series = withoutFlatlineOutages(input);
    const endMs = forecastStartMs(series);
    const members = [...this.members];
    for (const i of this.used) {
      const m = members[i]!;
      const due = m.fitted.refitCost === 'low' && (m.refittedAtMs === undefined || endMs - m.refittedAtMs >= MEMBER_REFIT_MS);
      members[i] = due
        ? { forecaster: m.forecaster, fitted: await moveToNewer({ forecaster: m.forecaster, fitted: m.fitted, series }), refittedAtMs: endMs }
        : { ...m, fitted: await m.fitted.condition(series) };
    }
    return new FittedEnsemble({ ...this.state, startMs: endMs }, members);
  }

  toArtifact(): ModelArtifact {
    const parts = this.members.map((m) => m.fitted.toArtifact());
    const bytes = parts.reduce((s, p) => s + (p.weights?.length ?? 0), 0);
    const weights = new Uint8Array(bytes);
    let offset = 0;
    const members = parts.map((p) => {
      const length = p.weights?.length ?? 0;
      if (p.weights) weights.set(p.weights, offset);
      const entry = { kind: p.kind, formatVersion: p.formatVersion, state: p.state, weightsOffset: offset, weightsLength: length };
      offset += length;
      return entry;
    });
    return { kind: ENSEMBLE, formatVersion: 1, state: { ...this.state, members }, ...(bytes > 0 ? { weights } : {}) };
  }

  static fromArtifact(artifact: ModelArtifact, resolver: MemberResolver): FittedEnsemble {
    const { members, ...state } = artifact.state as EnsembleState & {
      members: { kind: string; formatVersion: number; state: unknown; weightsOffset: number; weightsLength: number }[];
    };
    const bytes = artifactBytes(artifact.weights);
    const rebuilt = members.map((m) => {
      const weights = m.weightsLength > 0 ? bytes.subarray(m.weightsOffset, m.weightsOffset + m.weightsLength) : undefined;
      const part: ModelArtifact = { kind: m.kind, formatVersion: m.formatVersion, state: m.state, ...(weights ? { weights } : {}) };
      return { forecaster: resolver.create(m.kind, state.horizonSteps), fitted: resolver.fromArtifact(part) };
    });
    return new FittedEnsemble(state, rebuilt);
  }
}

export { FittedEnsemble };
