import {
  type FitOptions,
  type Forecast,
  type Forecaster,
  type FittedForecaster,
  type ModelArtifact,
  type PredictOptions,
  type RegularSeries,
  InsufficientHistoryError,
  artifactBytes,
  bracketPoint,
  quantileKey,
  validatePredictArgs,
} from '../core/forecaster';
import { type HorizonCalibration, calibrateHorizons, calibratedOffset } from '../core/horizon-calibration';
import { forecastStartMs, observedCount, seasonalNaiveScale, stepsPerDay } from '../core/series-stats';
import { type TransformKind, chooseTransform, forward, inverse } from '../seasonal/transform';
import { combinationWeights } from './ensemble-weights';

export const ENSEMBLE = 'ensemble';

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
}

interface Member {
  forecaster: Forecaster;
  fitted: FittedForecaster;
}

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

  private windows(): number {
    return this.options.holdoutWindows ?? 24;
  }

  minTrainLength(stepSeconds: number): number {
    return stepsPerDay(stepSeconds) + this.options.horizonSteps + this.windows() + 2;
  }

  async fit(series: RegularSeries, fitOptions: FitOptions = {}): Promise<FittedForecaster> {
    const n = series.values.length;
    const H = this.options.horizonSteps;
    const required = this.minTrainLength(series.stepSeconds);
    const observed = observedCount(series.values);
    if (n < required || observed < required) throw new InsufficientHistoryError(this.name, required, Math.min(n, observed));
    const origins = holdoutOrigins(n, H, this.windows(), stepsPerDay(series.stepSeconds));
    const actuals = origins.map((o) => Array.from({ length: H }, (_, h) => series.values[o + h] as number));
    const members: { forecaster: Forecaster; last: FittedForecaster; forecasts: number[][] }[] = [];
    for (const forecaster of this.options.members) {
      const run = await holdoutRun(forecaster, series, origins, H, fitOptions);
      if (run) members.push({ forecaster, ...run });
    }
    if (members.length === 0) throw new InsufficientHistoryError(this.name, required + 1, observed);
    const scales = origins.map(() => 1);
    const priorIndex = members.findIndex((m) => m.forecaster.name === this.options.prior?.member);
    const prior = this.options.prior && priorIndex >= 0 ? { member: priorIndex, share: this.options.prior.share } : undefined;
    const weights = combinationWeights(members.map((m) => m.forecasts), actuals, scales, prior);
    const transform = chooseTransform(series.values);
    const residuals: number[][] = Array.from({ length: H }, () => []);
    const combined = origins.map((_, k) => combine(members.map((m) => m.forecasts[k]!), weights));
    combined.forEach((row, k) => row.forEach((f, h) => residuals[h]!.push(t(transform, actuals[k]![h]!) - t(transform, f))));
    const holdout: HoldoutScores = {};
    const naive = seasonalNaiveScale(series.values, stepsPerDay(series.stepSeconds)) || 1;
    members.forEach((m) => (holdout[m.forecaster.name] = meanAbs(m.forecasts, actuals) / naive));
    holdout[ENSEMBLE] = meanAbs(combined, actuals) / naive;
    const fitted: Member[] = [];
    for (const m of members) fitted.push({ forecaster: m.forecaster, fitted: await moveTo(m.forecaster, m.last, series, fitOptions) });
    const state: EnsembleState = {
      startMs: forecastStartMs(series),
      stepSeconds: series.stepSeconds,
      horizonSteps: H,
      transform,
      kinds: members.map((m) => m.forecaster.name),
      weights,
      calibration: calibrateHorizons(residuals),
      holdout,
    };
    return new FittedEnsemble(state, fitted);
  }
}

/** Origins of the held-out forecasts: spread over the last two days (or a quarter of the series), newest last. */
export function holdoutOrigins(n: number, horizon: number, windows: number, day: number): number[] {
  const span = Math.min(2 * day, Math.floor(n / 4));
  const stride = Math.max(1, Math.floor(span / windows));
  const origins: number[] = [];
  for (let k = windows - 1; k >= 0; k--) origins.push(n - horizon - k * stride);
  return origins;
}

/** Forecasts of one member at every held-out origin, or null when it cannot fit. */
async function holdoutRun(
  forecaster: Forecaster,
  series: RegularSeries,
  origins: readonly number[],
  H: number,
  fitOptions: FitOptions,
): Promise<{ last: FittedForecaster; forecasts: number[][] } | null> {
  const forecasts: number[][] = [];
  let last: FittedForecaster | null = null;
  try {
    for (const origin of origins) {
      const train: RegularSeries = { ...series, values: Array.prototype.slice.call(series.values, 0, origin) as number[] };
      last = last === null ? await forecaster.fit(train, fitOptions) : await moveTo(forecaster, last, train, fitOptions);
      forecasts.push(last.predict(H, { quantiles: [0.5] }).mean);
    }
  } catch (err) {
    if (err instanceof InsufficientHistoryError || (err as { code?: string }).code === 'INSUFFICIENT_HISTORY') return null;
    throw err;
  }
  return last ? { last, forecasts } : null;
}

/** Conditions a trained member on newer data, or refits a cheap one. */
function moveTo(forecaster: Forecaster, fitted: FittedForecaster, series: RegularSeries, fitOptions: FitOptions = {}): Promise<FittedForecaster> {
  return fitted.condition ? fitted.condition(series) : forecaster.fit(series, fitOptions);
}

function combine(rows: readonly (readonly number[])[], weights: readonly number[][]): number[] {
  const H = rows[0]?.length ?? 0;
  return Array.from({ length: H }, (_, h) => {
    const w = weights[Math.min(h, weights.length - 1)] as number[];
    return rows.reduce((s, row, m) => s + (w[m] as number) * (row[h] as number), 0);
  });
}

function t(kind: TransformKind, v: number): number {
  return forward(kind, [v])[0] as number;
}

function meanAbs(forecasts: readonly (readonly number[])[], actuals: readonly (readonly number[])[]): number {
  let s = 0;
  let n = 0;
  actuals.forEach((row, k) =>
    row.forEach((y, h) => {
      const e = Math.abs(y - (forecasts[k]![h] as number));
      if (Number.isFinite(e)) {
        s += e;
        n++;
      }
    }),
  );
  return n > 0 ? s / n : Number.NaN;
}

class FittedEnsemble implements FittedForecaster {
  readonly name = ENSEMBLE;
  constructor(
    private readonly state: EnsembleState,
    private readonly members: readonly Member[],
  ) {}

  /** Held-out scores of the members and the combination (for the registry manifest). */
  get holdout(): HoldoutScores {
    return this.state.holdout;
  }

  /** The fitted members, e.g. to read the LSTM's training info. */
  get fittedMembers(): readonly FittedForecaster[] {
    return this.members.map((m) => m.fitted);
  }

  predict(horizonSteps: number, options: PredictOptions): Forecast {
    validatePredictArgs(horizonSteps, options);
    const s = this.state;
    const forecasts = this.members.map((m) => m.fitted.predict(horizonSteps, { quantiles: options.quantiles }));
    const mean = combine(
      forecasts.map((f) => f.mean),
      s.weights,
    );
    const quantiles: Record<string, number[]> = {};
    for (const q of options.quantiles) {
      const key = quantileKey(q);
      // The members' own quantiles, combined with the same weights, are a floor on the interval:
      // the conformal offsets come from fresh held-out fits, and a served model ages until the
      // next training, so an interval never gets narrower than its members say.
      const members = combine(
        forecasts.map((f) => f.quantiles[key] as number[]),
        s.weights,
      );
      quantiles[key] = mean.map((f, i) => {
        const conformal = inverse(s.transform, t(s.transform, f) + calibratedOffset(s.calibration, i + 1, q));
        if (q === 0.5) return conformal;
        const widest = q > 0.5 ? Math.max(conformal, members[i] as number) : Math.min(conformal, members[i] as number);
        return bracketPoint(q, widest, f);
      });
    }
    return { startMs: s.startMs, stepSeconds: s.stepSeconds, mean, quantiles, model: this.name };
  }

  async condition(series: RegularSeries): Promise<FittedForecaster> {
    const members: Member[] = [];
    for (const m of this.members) members.push({ forecaster: m.forecaster, fitted: await moveTo(m.forecaster, m.fitted, series) });
    return new FittedEnsemble({ ...this.state, startMs: forecastStartMs(series) }, members);
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
