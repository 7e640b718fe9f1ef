import { modelKind } from '../models/model-kinds';
import { iso } from '../src/time/iso';
import { codeVersion } from './code-version';
import { type CandidateRequest, type ServingVersion, trainCandidate } from '../src/model-selection/candidate-training';
import type { ModelChoice } from '../src/model-selection/model-choice';
import type { ModelRegistry } from './registry/registry-store';
import { trainingOptions } from '../src/model-selection/training-options';

export interface TrainRequest extends CandidateRequest {
  /** Epoch milliseconds, for createdAt. */
  wallClock?: () => number;
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
 * origins), conditioned up to the newest value, and saved as promoted or rejected
 * (src/model-selection/candidate-training.ts).
 */
export async function trainAndRegister(request: TrainRequest, registry: ModelRegistry): Promise<TrainResult> {
  const { series, horizonSteps, config, seriesName } = request;
  const currentVersion = (await registry.serving(seriesName)).promoted;
  const current = currentVersion ? await registry.load(seriesName, currentVersion) : null;
  const serving: ServingVersion | null = current
    ? { fitted: modelKind(current.artifact.kind).fromArtifact(current.artifact), version: currentVersion!, trainedToMs: Date.parse(current.manifest.trainedTo) }
    : null;
  // Stamped once the candidates are scored (the choice's decidedAt), as the version's createdAt too.
  let stamp: string | undefined;
  const now = (): string => (stamp ??= iso((request.wallClock ?? Date.now)()));
  const trained = await trainCandidate(request, serving, now);
  const createdAt = now();
  const { final, choice, gate, decision, reason, fitSeconds } = trained;
  const artifact = final.toArtifact();
  const info = final.trainingInfo?.() ?? { backend: null, calibration: null };
  const options = trainingOptions(config);
  const version = await registry.save(
    {
      series: seriesName,
      hyperParameters: { model: artifact.kind, horizonSteps, ...options.lstm },
      stepSeconds: series.stepSeconds,
      timezone: series.timezone,
      horizonSteps,
      trainedFrom: iso(series.startMs),
      trainedTo: iso(trained.trainedToMs),
      conditionedTo: iso(series.startMs + series.values.length * series.stepSeconds * 1000),
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
