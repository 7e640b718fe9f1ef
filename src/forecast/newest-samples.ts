import type { Sample } from '../series/sample';
import type { HistoryStore } from '../store/history-store';

/**
 * The newest stored sample per series, kept in memory: every served read needs it
 * (freshness, stale fallback) synchronously, and the store answers asynchronously (over the
 * network for PostgreSQL). `load` fills it: at the first refresh pass for every series, after
 * every write of the ingest gateway, and when another replica reports a write. A series not
 * loaded yet reads as null (no sample) and starts a load, so the next read knows.
 */
export class NewestSamples {
  private readonly newest = new Map<string, Sample | null>();

  constructor(private readonly store: Pick<HistoryStore, 'last'>) {}

  /** The newest sample of `series` as last loaded, or null when it has none (or is not loaded yet). */
  get(series: string): Sample | null {
    const last = this.newest.get(series);
    if (last !== undefined) return last;
    void this.load(series).catch(() => undefined);
    return null;
  }

  /** The newest sample as last loaded (null: none); undefined when `series` was never loaded. Starts no load. */
  peek(series: string): Sample | null | undefined {
    return this.newest.get(series);
  }

  /** Reads the newest sample of `series` from the store and remembers it. @throws the store's error. */
  async load(series: string): Promise<Sample | null> {
    const last = await this.store.last(series);
    this.newest.set(series, last);
    return last;
  }

  /**
   * Learns from a batch the store has just written (an upsert: a stored timestamp now holds
   * the batch's value): the newest sample is the batch's newest when it is not older than the
   * one known. Saves a store read per push; a series not loaded yet is read.
   * @throws the store's error when it has to read.
   */
  async stored(series: string, samples: readonly Sample[]): Promise<void> {
    const known = this.newest.get(series);
    if (known === undefined) {
      await this.load(series);
      return;
    }
    let newest: Sample | null = known;
    for (const s of samples) if (newest === null || s.t >= newest.t) newest = s;
    this.newest.set(series, newest);
  }

  /** Loads every series in `names`. @throws the store's first error. */
  async loadAll(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((name) => this.load(name)));
  }
}
