import type { Sample } from '../series/sample';
import type { HistoryStore, SeriesStats } from './history-store';

/**
 * A read-only view of a store as it was at `untilMs`: samples after it are invisible. Lets
 * `prescale plan --at TIME` forecast from the history known at that time. Writes are refused.
 */
export function historyUntil(store: HistoryStore | null, untilMs: number): HistoryStore {
  const read = async (series: string, range: { fromMs?: number; toMs?: number } = {}): Promise<Sample[]> =>
    store ? store.read(series, { ...range, toMs: Math.min(range.toMs ?? untilMs, untilMs) }) : [];
  const stats = async (series: string): Promise<SeriesStats | null> => {
    const samples = await read(series);
    const first = samples[0];
    const last = samples[samples.length - 1];
    return first && last ? { name: series, count: samples.length, firstMs: first.t, lastMs: last.t } : null;
  };
  return {
    append() {
      return Promise.reject(new Error('historyUntil is a read-only view'));
    },
    read,
    readSteps(series, query) {
      // Same cap as `read`: nothing after `untilMs` is visible.
      const capped = { ...query, toMs: Math.min(query.toMs ?? untilMs, untilMs) };
      return store ? store.readSteps(series, capped) : Promise.resolve({ startMs: 0, stepSeconds: query.stepSeconds, values: [], timezone: query.timezone });
    },
    async last(series) {
      const s = await stats(series);
      return s ? ((await read(series, { fromMs: s.lastMs }))[0] ?? null) : null;
    },
    stats,
    async allStats() {
      const all = await Promise.all((await (store?.allStats() ?? Promise.resolve([]))).map((s) => stats(s.name)));
      return all.filter((s): s is SeriesStats => s !== null);
    },
    deleteBefore() {
      return Promise.resolve(0);
    },
    close() {
      return store?.close();
    },
  };
}
