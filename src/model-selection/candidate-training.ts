import { moveToNewer } from '../../models/core/conditioning';
import { type FittedForecaster, InsufficientHistoryError, type RegularSeries, type Seasonality } from '../../models/core/forecaster';
import { modelKind } from '../../models/model-kinds';
import type { EpochProgress } from '../../models/lstm/lstm-training';
import { SEASONAL_NAIVE, SeasonalNaiveForecaster } from '../../models/seasonal-naive/seasonal-naive';
import type { TrainingConfig } from '../config/training-schema';
import type { GateScore } from '../model-catalog/model-catalog';
import { iso } from '../time/iso';
import { head, heldOutOrigins, scoreHeldOut } from './holdout-evaluation';
import { type CandidateResult, type ModelChoice, candidateKinds, chooseServedKind } from './model-choice';
import { type GateDecision, decidePromotion } from './promotion-gate';
import { trainingOptions } from './training-options';

/**
 * One training of one series, without a registry: the candidate (under `forecast.model: auto`
 * the kind that wins the held-out stretch), its promotion gate, and the candidate brought to the
 * newest value. The trainer registers the result (trainer.ts); a replay serves it as the
 * service would (simulate/auto-trainings.ts).
 */
export interface CandidateRequest {
  /** For messages (the registry's name of the series). */
  seriesName: string;
  series: RegularSeries;
  horizonSteps: number;
  quantiles: readonly number[];
  seasonalities?: readonly Seasonality[];
  config: TrainingConfig;
  /**
   * `forecast.model: auto`: score every kind the history supports (model-choice.ts) on the
   * held-out origins and make the winner the candidate; otherwise the candidate is `training.model`.
   */
  chooseKind?: boolean;
  onEpoch?: (progress: EpochProgress) => void;
}

/** The version serving now, which the candidate must beat and may start from. */
export interface ServingVersion {
  fitted: FittedForecaster;
  version: string;
  /** Epoch ms of the end of the history it was trained on (its manifest's `trainedTo`). */
  trainedToMs: number;
}

/** What the gate compared (the manifest's `gate`). */
export interface GateRecord {
  candidate: GateScore;
  current: GateScore | null;
  currentVersion: string | null;
  baseline: GateScore;
  margin: number;
  heldOutFrom: string;
  heldOutTo: string;
}

export interface TrainedCandidate extends GateDecision {
  /** The candidate conditioned (or refitted) up to the newest value of the series. */
  final: FittedForecaster;
  /** With `chooseKind`: the candidates' scores and why the kind won. */
  choice: ModelChoice | null;
  gate: GateRecord;
  /** Epoch ms where the candidate's fit ended (the held-out stretch begins). */
  trainedToMs: number;
  /** Seconds the candidate's own fit took. */
  fitSeconds: number;
}

/**
 * Fits the candidate on the history before the held-out stretch (`training.holdout`), scores it
 * there against the serving version and the seasonal-naive baseline (both conditioned or
 * refitted on the same origins), and brings it to the newest value.
 * @param decidedAt ISO instant recorded with the choice.
 */
export async function trainCandidate(request: CandidateRequest, serving: ServingVersion | null, decidedAt: () => string): Promise<TrainedCandidate> {
  const { series, horizonSteps, config } = request;
  const quantiles = [...new Set([...request.quantiles, 0.5, 0.9])].sort((a, b) => a - b);
  const n = series.values.length;
  const holdoutSteps = Math.min(Math.round(config.holdout / series.stepSeconds), Math.floor(n / 4));
  if (holdoutSteps < horizonSteps) {
    // A quarter of the series at most is held out, so the gate needs four horizons of history.
    const detail = `series "${request.seriesName}" is too short to hold out ${config.holdout}s for the promotion gate`;
    throw new InsufficientHistoryError('promotion gate', 4 * horizonSteps, n, detail);
  }
  const origins = heldOutOrigins(n, horizonSteps, holdoutSteps);
  const cut = origins[0] as number;
  const fitOptions = request.seasonalities ? { seasonalities: request.seasonalities } : {};
  const options = { ...trainingOptions(config), ...(request.onEpoch ? { onEpoch: request.onEpoch } : {}) };
  // Cheap models are refitted at each origin, trained ones conditioned (conditioning.ts).
  const moveTo = (fitted: FittedForecaster, train: RegularSeries): Promise<FittedForecaster> =>
    moveToNewer({ forecaster: modelKind(fitted.name).create({ horizonSteps }), fitted, series: train, fitOptions });
  // The history the series holds (the one the served model is brought to), not the part before
  // the held-out stretch: the default 14-day history less its 1-day hold-out never reached two
  // weeks, and auto chose between the two seasonal kinds only.
  const kinds = request.chooseKind ? candidateKinds((n * series.stepSeconds) / 86_400, config.model) : [config.model];
  const results: CandidateResult[] = [];
  const fits = new Map<string, { fitted: FittedForecaster; score: GateScore; fitSeconds: number }>();
  const cutMs = msAt(series, cut);
  const warm = config.warmStart && serving && serving.trainedToMs <= cutMs ? serving.fitted : null;
  for (const kind of kinds) {
    const started = performance.now();
    try {
      // A candidate of the serving version's kind starts from its weights (FitOptions.warmStart).
      const warmStart = warm?.name === kind ? { warmStart: warm } : {};
      const fitted = await modelKind(kind).create({ horizonSteps, training: options }).fit(head(series, cut), { ...fitOptions, ...warmStart });
      const fitSeconds = (performance.now() - started) / 1000;
      const score = await scoreHeldOut(series, origins, horizonSteps, quantiles, (train) => moveTo(fitted, train));
      fits.set(kind, { fitted, score, fitSeconds });
      results.push({ kind, score });
    } catch (err) {
      // One candidate that cannot fit this history leaves the others in the running; with one candidate, the error is the run's.
      if (kinds.length === 1 || !(err instanceof InsufficientHistoryError)) throw err;
      results.push({ kind, score: null, skipped: err.message });
    }
  }
  const choice = request.chooseKind ? chooseServedKind(results, decidedAt()) : null;
  const { fitted: candidate, score: candidateScore, fitSeconds } = fits.get(choice?.chosen ?? config.model)!;
  const baseline = await scoreHeldOut(series, origins, horizonSteps, quantiles, (train) => new SeasonalNaiveForecaster().fit(train));
  const currentScore = serving ? await scoreHeldOut(series, origins, horizonSteps, quantiles, (train) => moveTo(serving.fitted, train)) : null;
  const gate: GateRecord = {
    candidate: candidateScore,
    current: currentScore,
    currentVersion: serving?.version ?? null,
    baseline,
    margin: config.promotionMargin,
    heldOutFrom: iso(cutMs),
    heldOutTo: iso(msAt(series, n)),
  };
  const { decision, reason } = decidePromotion({ ...gate, candidateIsBaseline: candidate.name === SEASONAL_NAIVE });
  return { final: await moveTo(candidate, series), choice, gate, decision, reason, trainedToMs: cutMs, fitSeconds };
}

function msAt(series: RegularSeries, index: number): number {
  return series.startMs + index * series.stepSeconds * 1000;
}
