import type { Sample } from '../series/sample';
import type { HistoryStore, SeriesStats } from '../store/history-store';

/** What the store holds for one series, as far as this process knows. Times are epoch ms. */
export interface Tally {
  count: number;
  firstMs: number | null;
  lastMs: number | null;
}

const EMPTY: Tally = { count: 0, firstMs: null, lastMs: null };

/**
 * Sample counts per series kept in memory, so `GET /v1/series` never counts the store on a
 * request (at 1,000 series that count held the event loop for 2 s). A count is learnt once
 * from `HistoryStore.stats` and then kept up to date from the writes: a batch whose changes
 * are exactly its samples newer than the last known one adds them; any other batch (a
 * backfill into the past, a replaced value) and a retention delete mark the series for a
 * recount, which runs in the background one series at a time.
 */
export class SeriesTally {
  private readonly tallies = new Map<string, Tally>();
  /** Series to (re)count, oldest first. */
  private readonly stale = new Set<string>();
  /** Bumped on every write, so a recount that raced a write is thrown away and redone. */
  private readonly writes = new Map<string, number>();
  private counting = false;
  private closed = false;

  constructor(
    private readonly store: Pick<HistoryStore, 'stats'>,
    names: readonly string[],
  ) {
    for (const name of names) this.stale.add(name);
    this.kick();
  }

  /** The tally of `series`; null until it has been counted once. */
  get(series: string): Tally | null {
    return this.tallies.get(series) ?? null;
  }

  /** Learns from a stored batch (`HistoryStore.append`'s result). */
  appended(series: string, samples: readonly Sample[], changed: number): void {
    this.bump(series);
    const known = this.tallies.get(series);
    if (!known || changed === 0) {
      if (!known && changed > 0) this.recount(series);
      return;
    }
    const after = known.lastMs ?? Number.NEGATIVE_INFINITY;
    const newer = new Set<number>();
    let newest = after;
    let oldest = Number.POSITIVE_INFINITY;
    for (const s of samples) {
      if (s.t > after) {
        newer.add(s.t);
        if (s.t > newest) newest = s.t;
        if (s.t < oldest) oldest = s.t;
      }
    }
    // Samples newer than the last stored one are all new; if they are all that changed, the count is exact.
    if (newer.size !== changed) return this.recount(series);
    this.tallies.set(series, { count: known.count + newer.size, firstMs: known.firstMs ?? oldest, lastMs: newest });
  }

  /** Learns from a retention delete of `deleted` samples. */
  deleted(series: string, deleted: number): void {
    if (deleted <= 0) return;
    this.bump(series);
    this.recount(series);
  }

  /** Another writer of a shared store (another replica) changed `series`: count it again. */
  changedElsewhere(series: string): void {
    this.bump(series);
    this.recount(series);
  }

  /** Resolves once every series has been counted (tests, and the bench's readiness). */
  async settled(): Promise<void> {
    while (this.stale.size > 0 || this.counting) await new Promise((r) => setTimeout(r, 5));
  }

  close(): void {
    this.closed = true;
  }

  private recount(series: string): void {
    this.stale.add(series);
    this.kick();
  }

  private bump(series: string): void {
    this.writes.set(series, (this.writes.get(series) ?? 0) + 1);
  }

  private kick(): void {
    if (this.counting || this.closed) return;
    this.counting = true;
    setImmediate(() => void this.countAll());
  }

  /** One series per turn of the event loop, so a count of ten thousand never holds a request. */
  private async countAll(): Promise<void> {
    try {
      while (this.stale.size > 0 && !this.closed) {
        const series = this.stale.values().next().value as string;
        this.stale.delete(series);
        const before = this.writes.get(series) ?? 0;
        let stats: SeriesStats | null;
        try {
          stats = await this.store.stats(series);
        } catch {
          // The store is closed or failing: the count stays unknown until the next write asks again.
          continue;
        }
        if ((this.writes.get(series) ?? 0) !== before) this.stale.add(series);
        else this.tallies.set(series, stats ? { count: stats.count, firstMs: stats.firstMs, lastMs: stats.lastMs } : EMPTY);
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.counting = false;
    }
  }
}
