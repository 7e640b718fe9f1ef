import type { SeriesConfig } from '../config/schema';
import type { HistoryStore } from './history-store';

/** When retention runs for one series. Times are epoch milliseconds. */
export interface RetentionInput {
  /** The service clock now. */
  nowMs: number;
  /** The newest stored sample of the series. */
  newestMs: number;
  /** `storage.retention` in seconds; absent: twice the series' `history`. */
  retentionSeconds?: number | undefined;
}

/**
 * The oldest time (epoch ms) a series keeps samples from: `storage.retention` (default twice
 * its `history`; the second window is slack, so a refit never finds its window cut short by
 * a deletion that ran a moment earlier) behind the service clock — or behind the newest
 * sample when that is older, so a series whose input stopped, or history imported from long
 * ago, keeps what it had. The anchor is never later than the clock: a sample from the future
 * (year 5138 once deleted 4,320 of 4,322 samples) cannot move the cutoff.
 */
export function retentionCutoffMs(config: Pick<SeriesConfig, 'history'>, input: RetentionInput): number {
  const retentionMs = (input.retentionSeconds ?? 2 * config.history) * 1000;
  return Math.min(input.nowMs, input.newestMs) - retentionMs;
}

/**
 * Applies the retention policy to one series: drops samples older than `retentionCutoffMs`.
 * Returns how many samples were dropped.
 */
export function applyRetention(store: Pick<HistoryStore, 'deleteBefore'>, config: Pick<SeriesConfig, 'name' | 'history'>, input: RetentionInput): number {
  return store.deleteBefore(config.name, retentionCutoffMs(config, input));
}
