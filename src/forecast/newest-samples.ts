import type { Sample } from '../series/sample';
import type { HistoryStore } from '../store/history-store';

/**
 * The newest stored sample per series, kept in memory between writes: every served read
 * needs it (freshness, stale fallback), and asking the store each time costs more than the
 * read itself. Correct only while every write of the store goes through something that
 * calls `invalidate` (the ingest gateway).
 */
export class NewestSamples {
  private readonly newest = new Map<string, Sample | null>();

  constructor(private readonly store: Pick<HistoryStore, 'last'>) {}

  /** The newest sample of `series`, or null when it has none. */
  get(series: string): Sample | null {
    let last = this.newest.get(series);
    if (last === undefined) {
      last = this.store.last(series);
      this.newest.set(series, last);
    }
    return last;
  }

  /** Forgets the memo of `series`; the next `get` asks the store. */
  invalidate(series: string): void {
    this.newest.delete(series);
  }
}
