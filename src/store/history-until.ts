import type { Sample } from '../series/sample';
import type { HistoryStore, SeriesStats } from './history-store';

/**
 * A read-only view of a store as it was at `untilMs`: samples after it are invisible. Lets
 * `prescale plan --at TIME` forecast from the history known at that time. Writes are refused.
 */
export function historyUntil(store: HistoryStore | null, untilMs: number): HistoryStore {
  const read = (series: string, range: { fromMs?: number; toMs?: number } = {}): Sample[] =>
    store ? store.read(series, { ...range, toMs: Math.min(range.toMs ?? untilMs, untilMs) }) : [];
  const stats = (series: string): SeriesStats | null => {
    const samples = read(series);
    const first = samples[0];
    const last = samples[samples.length - 1];
    return first && last ? { name: series, count: samples.length, firstMs: first.t, lastMs: last.t } : null;
  };
  return {
    append() {
      throw new Error('historyUntil is a read-only view');
    },
    read,
    readSteps(series, query) {
      // Same cap as `read`: nothing after `untilMs` is visible.
      const capped = { ...query, toMs: Math.min(query.toMs ?? untilMs, untilMs) };
      return store ? store.readSteps(series, capped) : Promise.resolve({ startMs: 0, stepSeconds: query.stepSeconds, values: [], timezone: query.timezone });
    },
    last(series) {
      const s = stats(series);
      return s ? (read(series, { fromMs: s.lastMs })[0] ?? null) : null;
    },
    stats,
    allStats() {
      return (store?.allStats() ?? []).map((s) => stats(s.name)).filter((s): s is SeriesStats => s !== null);
    },
    deleteBefore() {
      return 0;
    },
    close() {
      store?.close();
    },
  };
}
