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
 * The one place samples live. Writes are durable when the call returns; writing the same
 * timestamp again replaces its value, so re-sending a batch is idempotent.
 */
export interface HistoryStore {
  /** Stores `samples` in one transaction. `changed` counts samples that were new or got a new value. */
  append(series: string, samples: readonly Sample[]): { stored: number; changed: number };
  /** Samples with `fromMs <= t <= toMs`, oldest first. */
  read(series: string, range?: { fromMs?: number; toMs?: number }): Sample[];
  /**
   * Samples with `fromMs <= t <= toMs` folded onto `stepSeconds` exactly as `regularize`
   * folds them (rate: mean per step; gauge: newest per step; missing steps NaN; the grid
   * starts at the step of the first sample). Implementations keep the raw read off the
   * calling thread where they can, so a long history never blocks serving.
   * @throws an Error when the store cannot be read.
   */
  readSteps(series: string, query: StepQuery): Promise<RegularSeries>;
  /** The latest sample, or null for an unknown or empty series. */
  last(series: string): Sample | null;
  stats(series: string): SeriesStats | null;
  allStats(): SeriesStats[];
  /** Drops samples older than `beforeMs`; returns how many. */
  deleteBefore(series: string, beforeMs: number): number;
  close(): void;
}
