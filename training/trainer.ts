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

export interface TrainRequest {
  seriesName: string;
  series: RegularSeries;
  horizonSteps: number;
  quantiles: readonly number[];
  seasonalities?: readonly Seasonality[];
  config: TrainingConfig;
  /** Epoch milliseconds, for createdAt. */
  wallClock?: () => number;
  onEpoch?: (progress: EpochProgress) => void;
}

export interface TrainResult {
  series: string;
  version: string;
  kind: string;
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
  const forecaster = modelKind(config.model).create({ horizonSteps, training: options });
  const started = performance.now();
  const candidate = await forecaster.fit(head(series, cut), fitOptions);
  const fitSeconds = (performance.now() - started) / 1000;
  // Cheap models are refitted at each origin, trained ones conditioned (conditioning.ts).
  const moveTo = (fitted: FittedForecaster, train: RegularSeries): Promise<FittedForecaster> =>
    moveToNewer({ forecaster: modelKind(fitted.name).create({ horizonSteps }), fitted, series: train, fitOptions });
  const candidateScore = await scoreHeldOut(series, origins, horizonSteps, quantiles, (train) => moveTo(candidate, train));
  const baseline = await scoreHeldOut(series, origins, horizonSteps, quantiles, (train) => new SeasonalNaiveForecaster().fit(train));
  const currentVersion = (await registry.serving(seriesName)).promoted;
  let current = null;
  if (currentVersion) {
    const { artifact } = await registry.load(seriesName, currentVersion);
    const serving = modelKind(artifact.kind).fromArtifact(artifact);
    current = await scoreHeldOut(series, origins, horizonSteps, quantiles, (train) => moveTo(serving, train));
  }
  const gate = { candidate: candidateScore, current, currentVersion, baseline, margin: config.promotionMargin, heldOutFrom: iso(msAt(series, cut)), heldOutTo: iso(msAt(series, n)) };
  const { decision, reason } = decidePromotion(gate);
  const final = await moveTo(candidate, series);
  const artifact = final.toArtifact();
  const info = final.trainingInfo?.() ?? { backend: null, calibration: null };
  const version = await registry.save(
    {
      series: seriesName,
      hyperParameters: { model: config.model, horizonSteps, ...options.lstm },
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
      createdAt: iso((request.wallClock ?? Date.now)()),
      codeVersion: codeVersion(),
    },
    artifact,
  );
  return { series: seriesName, version, kind: artifact.kind, decision, reason, backend: info.backend, fitSeconds };
}

function msAt(series: RegularSeries, index: number): number {
  return series.startMs + index * series.stepSeconds * 1000;
}

