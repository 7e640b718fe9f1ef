import { moveToNewer } from '../models/core/conditioning';
import { type FittedForecaster, InsufficientHistoryError, type RegularSeries, type Seasonality } from '../models/core/forecaster';
import { modelKind } from '../models/model-kinds';
import type { EpochProgress } from '../models/lstm/lstm-training';
import { SeasonalNaiveForecaster } from '../models/seasonal-naive/seasonal-naive';
import type { TrainingConfig } from '../src/config/training-schema';
import { codeVersion } from './code-version';
import { head, heldOutOrigins, scoreHeldOut } from './holdout-evaluation';
import type { ModelRegistry } from './registry/registry-store';
import { decidePromotion } from './registry/promotion-gate';
import { iso } from '../src/time/iso';
import { trainingOptions } from './training-options';
import { type CandidateResult, type ModelChoice, candidateKinds, chooseServedKind } from './model-choice';
import type { GateScore } from '../src/model-catalog/model-catalog';

export interface TrainRequest {
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
  /** Epoch milliseconds, for createdAt. */
  wallClock?: () => number;
  onEpoch?: (progress: EpochProgress) => void;
}

export interface TrainResult {
  series: string;
  version: string;
  kind: string;
  /** With `chooseKind`: the candidates' scores and why `kind` won. */
  choice?: ModelChoice;
  decision: 'promoted' | 'rejected';
  reason: string;
  backend: string | null;
  fitSeconds: number;
}

/**
 * Trains one candidate for a series and registers it: the candidate is fitted on the
 * history before the held-out stretch (`training.holdout`), scored there against the
 * serving version and the seasonal-naive baseline (both conditioned/refitted on the same
 * origins), conditioned up to the newest value, and saved as promoted or rejected.
 */
export async function trainAndRegister(request: TrainRequest, registry: ModelRegistry): Promise<TrainResult> {
  const { series, horizonSteps, config, seriesName } = request;
  const quantiles = [...new Set([...request.quantiles, 0.5, 0.9])].sort((a, b) => a - b);
  const n = series.values.length;
  const holdoutSteps = Math.min(Math.round(config.holdout / series.stepSeconds), Math.floor(n / 4));
  if (holdoutSteps < horizonSteps) {
    // A quarter of the series at most is held out, so the gate needs four horizons of history.
    const detail = `series "${seriesName}" is too short to hold out ${config.holdout}s for the promotion gate`;
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
  const currentVersion = (await registry.serving(seriesName)).promoted;
  const current = currentVersion ? await registry.load(seriesName, currentVersion) : null;
  const serving = current ? modelKind(current.artifact.kind).fromArtifact(current.artifact) : null;
  const warm = config.warmStart && serving && Date.parse(current!.manifest.trainedTo) <= msAt(series, cut) ? serving : null;
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
  const createdAt = iso((request.wallClock ?? Date.now)());
  const choice = request.chooseKind ? chooseServedKind(results, createdAt) : null;
  const { fitted: candidate, score: candidateScore, fitSeconds } = fits.get(choice?.chosen ?? config.model)!;
  const baseline = await scoreHeldOut(series, origins, horizonSteps, quantiles, (train) => new SeasonalNaiveForecaster().fit(train));
  const currentScore = serving ? await scoreHeldOut(series, origins, horizonSteps, quantiles, (train) => moveTo(serving, train)) : null;
  const gate = { candidate: candidateScore, current: currentScore, currentVersion, baseline, margin: config.promotionMargin, heldOutFrom: iso(msAt(series, cut)), heldOutTo: iso(msAt(series, n)) };
  const { decision, reason } = decidePromotion(gate);
  const final = await moveTo(candidate, series);
  const artifact = final.toArtifact();
  const info = final.trainingInfo?.() ?? { backend: null, calibration: null };
  const version = await registry.save(
    {
      series: seriesName,
      hyperParameters: { model: artifact.kind, horizonSteps, ...options.lstm },
      stepSeconds: series.stepSeconds,
      timezone: series.timezone,
      horizonSteps,
      trainedFrom: iso(series.startMs),
      trainedTo: iso(msAt(series, cut)),
      conditionedTo: iso(msAt(series, n)),
      gate,
      decision,
      reason,
      calibration: info.calibration,
      backend: info.backend,
      createdAt,
      codeVersion: codeVersion(),
      ...(choice ? { choice } : {}),
      // What the fit did, not what it was offered: a network of other dimensions trains from the seed.
      ...(info.warmStarted && currentVersion ? { warmStartedFrom: currentVersion } : {}),
    },
    artifact,
  );
  return { series: seriesName, version, kind: artifact.kind, decision, reason, backend: info.backend, fitSeconds, ...(choice ? { choice } : {}) };
}

function msAt(series: RegularSeries, index: number): number {
  return series.startMs + index * series.stepSeconds * 1000;
}

