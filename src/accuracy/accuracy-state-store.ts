import type { SeriesAccuracyState } from './series-accuracy';
import type { TrustGateState } from './trust-gate';

/** Live accuracy of every series as persisted: the aggregates, the pending forecasts and the gates. */
export interface PersistedAccuracy {
  formatVersion: 1;
  /** Epoch ms of the save. */
  savedAtMs: number;
  series: Record<string, { accuracy: SeriesAccuracyState; gate: TrustGateState }>;
}

/** One series' persisted entry. */
export type PersistedSeriesAccuracy = PersistedAccuracy['series'][string];

/**
 * A save in the making: the entries are produced one at a time while the save writes, so ten
 * thousand series are never one string (nor one pause of the serving thread).
 */
export interface AccuracySave {
  formatVersion: 1;
  savedAtMs: number;
  entries: Iterable<[string, PersistedSeriesAccuracy]>;
}

/**
 * Where live accuracy is kept across restarts. The embedded mode uses a JSON file under the
 * data dir (`JsonFileAccuracyStore`); a PostgreSQL backend implements the same two calls.
 */
export interface AccuracyStateStore {
  /** The last saved state; null when none was saved (or what was saved cannot be read, which the adapter reports). */
  load(): Promise<PersistedAccuracy | null>;
  /** Replaces the saved state; atomic (a crash keeps the previous save whole). @throws when it cannot write. */
  save(state: AccuracySave): Promise<void>;
}
