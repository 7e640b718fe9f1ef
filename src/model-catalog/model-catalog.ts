import type { ModelArtifact } from '../../models/core/forecaster';

/**
 * Ports between the service core and training (implemented in training/, wired in
 * main/): serving reads the promoted model of a series and hears when it changes;
 * operators list, promote, roll back and start training.
 */

/** What serving needs: the promoted model of a series. Called on every refresh, so it must be cheap. */
export interface TrainedModels {
  /** The promoted version and its artifact, or null (serve with `forecast.model`). */
  promoted(series: string): { version: string; artifact: ModelArtifact } | null;
  /**
   * Calls `listener` with the series name whenever its promoted model changed (a promotion,
   * a rollback, a training run that passed the gate). Returns the unsubscribe function.
   */
  onPromotedChange(listener: (series: string) => void): () => void;
}

export type VersionStatus = 'promoted' | 'rejected' | 'retired';

/** Held-out scores of one model on the gate's window. */
export interface GateScore {
  mase: number;
  coverage: Record<string, number>;
}

export interface ModelVersionView {
  version: string;
  kind: string;
  /** promoted = serving now; retired = promoted once, replaced or rolled back; rejected = failed the gate. */
  status: VersionStatus;
  createdAt: string;
  /** Data the model was trained on (ISO instants); it was then conditioned up to `conditionedTo`. */
  trainedFrom: string;
  trainedTo: string;
  conditionedTo: string;
  backend: string | null;
  /** The version whose weights its training started from (`training.warmStart`); absent for a fit from the seed. */
  warmStartedFrom?: string;
  /** Scores on the held-out window: this candidate, the version serving when it was made, the seasonal-naive baseline. */
  gate: { candidate: GateScore; current: GateScore | null; baseline: GateScore; margin: number; decision: string };
  /** With `forecast.model: auto`: the kinds scored on the held-out window and why this one won. */
  choice?: { chosen: string; reason: string; candidates: { kind: string; score: GateScore | null; skipped?: string }[]; decidedAt: string };
}

export interface SeriesModels {
  series: string;
  promoted: string | null;
  versions: ModelVersionView[];
}

export interface TrainingRunView {
  series: string;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  version?: string;
  promoted?: boolean;
  error?: string;
}

export interface ModelCatalog extends TrainedModels {
  /** @throws {PrescaleError} SERIES_NOT_FOUND. */
  list(series: string): Promise<SeriesModels>;
  /**
   * Moves the promotion pointer (one transaction in PostgreSQL); every replica serves the
   * version within seconds (docs/postgres-registry.md). @throws {PrescaleError} SERIES_NOT_FOUND or MODEL_NOT_FOUND.
   */
  promote(series: string, version: string): Promise<SeriesModels>;
  /** Serves the previously promoted version again. @throws {PrescaleError} MODEL_NOT_FOUND when there is none. */
  rollback(series: string): Promise<SeriesModels>;
  /** Starts training the series in a worker. @throws {PrescaleError} TRAINING_BUSY when one is running for it. */
  train(series: string): Promise<TrainingRunView>;
  /** Training runs since start, newest first. */
  runs(): TrainingRunView[];
  /** The configured backend and the one that ran (null until a worker reported it). */
  backend(): { requested: string; active: string | null };
}
