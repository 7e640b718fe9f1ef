import type { Sample } from '../series/sample';

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
  /** The latest sample, or null for an unknown or empty series. */
  last(series: string): Sample | null;
  stats(series: string): SeriesStats | null;
  allStats(): SeriesStats[];
  /** Drops samples older than `beforeMs`; returns how many. */
  deleteBefore(series: string, beforeMs: number): number;
  close(): void;
}
