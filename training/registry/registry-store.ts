import type { ModelArtifact } from '../../models/core/forecaster';
import type { ModelManifest } from './model-manifest';

/** Which version serves, and the versions that served before it (oldest first), for rollback. */
export interface ServingPointer {
  promoted: string | null;
  history: string[];
}

/** What a caller hands to `save`: the registry numbers the version and copies kind, format and state from the artifact. */
export type NewManifest = Omit<ModelManifest, 'version' | 'state' | 'formatVersion' | 'kind' | 'series'> & { series: string };

/**
 * The file registry answers synchronously (local files), the PostgreSQL one asynchronously;
 * callers always `await`, so either fits.
 */
export type MaybeAsync<T> = T | Promise<T>;

/**
 * Where the registry lives, as plain data: a training worker thread opens its own registry
 * from it (a folder, or a database URL) instead of sharing the service's.
 */
export type RegistryLocation = { kind: 'files'; dir: string; keepVersions: number } | { kind: 'postgres'; url: string; keepVersions: number };

/**
 * Versioned model artifacts per series, with one promotion pointer and its rollback history.
 * Versions are named `v000001`, `v000002`, … in registration order and never change once
 * stored; promotion and rollback only move the pointer, each as one atomic step (a rename,
 * or one transaction). Implementations: `FileModelRegistry` (the embedded default, a folder)
 * and `PostgresModelRegistry` (shared by every replica).
 */
export interface ModelRegistry {
  /** Manifests of every stored version, oldest first. */
  versions(series: string): MaybeAsync<ModelManifest[]>;
  /** The promotion pointer; `{ promoted: null, history: [] }` for a series never promoted. */
  serving(series: string): MaybeAsync<ServingPointer>;
  /** Series with at least one version. */
  seriesNames(): MaybeAsync<string[]>;
  /** Stores a new version (numbered after the newest) and, when its decision is `promoted`, makes it serve. Returns the version name. */
  save(manifest: NewManifest, artifact: ModelArtifact): Promise<string>;
  /**
   * The artifact of a version with its manifest, format checked against the model kind's.
   * @throws {PrescaleError} MODEL_NOT_FOUND; INVALID_INPUT naming the field of a bad or old-format artifact.
   */
  load(series: string, version: string): Promise<{ manifest: ModelManifest; artifact: ModelArtifact }>;
  /** Makes `version` serve; the one it replaces can be rolled back to. @throws {PrescaleError} MODEL_NOT_FOUND. */
  promote(series: string, version: string): MaybeAsync<ServingPointer>;
  /** Serves the previously promoted version again. @throws {PrescaleError} MODEL_NOT_FOUND when there is none. */
  rollback(series: string): MaybeAsync<ServingPointer>;
  /** The location a worker thread opens its own registry from. */
  location(): RegistryLocation;
}

/**
 * A registry other processes change too (every replica on one database): `watch` calls
 * `listener` with the series whose promotion pointer changed, whoever changed it, within
 * seconds. Returns the function that stops watching.
 */
export interface WatchedModelRegistry extends ModelRegistry {
  watch(listener: (series: string) => void): () => void;
  close(): Promise<void>;
}

export function isWatched(registry: ModelRegistry): registry is WatchedModelRegistry {
  return typeof (registry as Partial<WatchedModelRegistry>).watch === 'function';
}
