import type { SeriesConfig } from '../config/schema';
import type { Sample } from '../series/sample';
import type { HistoryStore } from './history-store';

/**
 * The oldest time (epoch ms) a series keeps samples from: twice its history window behind
 * the newest sample. The second window is slack so that a refit never finds its window cut
 * short by a deletion that ran a moment earlier.
 */
export function retentionCutoffMs(config: Pick<SeriesConfig, 'history'>, newest: Pick<Sample, 't'>): number {
  return newest.t - 2 * config.history * 1000;
}

/**
 * Applies the retention policy to one series: drops samples older than `retentionCutoffMs`.
 * Anchored on the newest sample (not the wall clock), so a series whose input stopped keeps
 * its history. Returns how many samples were dropped.
 */
export function applyRetention(store: Pick<HistoryStore, 'deleteBefore'>, config: Pick<SeriesConfig, 'name' | 'history'>, newest: Pick<Sample, 't'>): number {
  return store.deleteBefore(config.name, retentionCutoffMs(config, newest));
}
