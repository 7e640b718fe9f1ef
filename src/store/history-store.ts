import type { RegularSeries } from '../../models/core/forecaster';
import type { Sample } from '../series/sample';
import type { StepQuery } from './step-read';

/** What the store knows about one series. Times are epoch milliseconds. */
export interface SeriesStats {
  name: string;
  count: number;
  firstMs: number;
  lastMs: number;
}

/**
 * Told which series another writer changed (another replica on the same database). `null`:
 * changes may have been missed (the notification connection was lost), so treat every
 * series as changed.
 */
export type ExternalChangeListener = (series: string | null) => void;

/**
 * The one place samples live. Writes are durable when the returned promise resolves; writing
 * the same timestamp again replaces its value, so re-sending a batch is idempotent. Every
 * method rejects with an Error when the store cannot be read or written.
 */
export interface HistoryStore {
  /** Stores `samples` in one transaction. `changed` counts samples that were new or got a new value. */
  append(series: string, samples: readonly Sample[]): Promise<{ stored: number; changed: number }>;
  /** Samples with `fromMs <= t <= toMs`, oldest first. */
  read(series: string, range?: { fromMs?: number; toMs?: number }): Promise<Sample[]>;
  /**
   * Samples with `fromMs <= t <= toMs` folded onto `stepSeconds` exactly as `regularize`
   * folds them (rate: mean per step; gauge: newest per step; missing steps NaN; the grid
   * starts at the step of the first sample). Implementations keep the raw read off the
   * calling thread where they can, so a long history never blocks serving.
   */
  readSteps(series: string, query: StepQuery): Promise<RegularSeries>;
  /** The latest sample, or null for an unknown or empty series. */
  last(series: string): Promise<Sample | null>;
  stats(series: string): Promise<SeriesStats | null>;
  /** Every stored series, by name. */
  allStats(): Promise<SeriesStats[]>;
  /** Drops samples older than `beforeMs`; returns how many. Safe to run from several replicas at once. */
  deleteBefore(series: string, beforeMs: number): Promise<number>;
  /**
   * Subscribes to appends made by other writers of a shared store. Absent on stores only this
   * process writes (SQLite), where the ingest path already knows every change.
   */
  onExternalChange?(listener: ExternalChangeListener): void;
  close(): void | Promise<void>;
}
