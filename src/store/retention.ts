import type { SeriesConfig } from '../config/schema';
import type { HistoryStore } from './history-store';

/** When retention runs for one series. Times are epoch milliseconds. */
export interface RetentionInput {
  /** The service clock now. */
  nowMs: number;
  /** `storage.retention` in seconds; absent: twice the series' `history`. */
  retentionSeconds?: number | undefined;
}

/**
 * The oldest time (epoch ms) a series keeps samples from: `storage.retention` (default twice
 * its `history`; the second window is slack, so a refit never finds its window cut short by
 * a deletion that ran a moment earlier) behind the service clock. Never behind the newest
 * sample: a sample from the future (year 5138 once deleted 4,320 of 4,322 samples) would move
 * the cutoff with it. History imported from longer ago than the retention is dropped at the
 * next refresh, as the policy says; a series whose input stopped is not refreshed, so it keeps
 * what it had.
 */
export function retentionCutoffMs(config: Pick<SeriesConfig, 'history'>, input: RetentionInput): number {
  const retentionMs = (input.retentionSeconds ?? 2 * config.history) * 1000;
  return input.nowMs - retentionMs;
}

/**
 * Applies the retention policy to one series: drops samples older than `retentionCutoffMs`.
 * Returns how many samples were dropped.
 */
export function applyRetention(store: Pick<HistoryStore, 'deleteBefore'>, config: Pick<SeriesConfig, 'name' | 'history'>, input: RetentionInput): Promise<number> {
  return store.deleteBefore(config.name, retentionCutoffMs(config, input));
}
