import { Permits } from './permits';

export interface RefreshSchedulerOptions {
  /** Quiet time after the last request before a refresh starts, ms (≥ 0). */
  debounceMs: number;
  /**
   * Longest a request of `key` waits while requests keep coming, ms (default: no limit). The
   * forecast refresher passes one step of the series, so a series pushed more often than the
   * debounce still refreshes every step.
   */
  maxWaitMs?: (key: string) => number;
  /** Monotonic ms for the deadlines; tests inject a manual clock. Default `performance.now`. */
  now?: () => number;
  /**
   * Refreshes running at once, over all keys (default: no limit). The rest wait their turn
   * in arrival order as a key each, so ten thousand requests cost ten thousand keys, not ten
   * thousand history reads held in memory at once.
   */
  concurrency?: number;
}

/**
 * Debounces and serialises refreshes per key: a burst of pushes leads to one refresh after
 * `debounceMs` of quiet, or at the latest `maxWaitMs` after the burst's first request, and
 * a push during a running refresh leads to exactly one more afterwards. Refreshes of
 * different keys run independently, at most `concurrency` at once (the rest queue, first
 * come first served; a request for a queued key is folded into it).
 */
export class RefreshScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** When the oldest pending request of a key must run at the latest (ms of `now`). */
  private readonly deadlines = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly now: () => number;
  private readonly permits: Permits | null;
  private closed = false;

  constructor(
    private readonly refresh: (key: string) => Promise<void>,
    private readonly options: RefreshSchedulerOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.permits = options.concurrency !== undefined ? new Permits(options.concurrency) : null;
  }

  /** Asks for a refresh of `key` after the debounce delay (or sooner, at its maximum wait). */
  request(key: string): void {
    if (this.closed) return;
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const now = this.now();
    // Each push restarted the debounce, so pushes every 800 ms never let a 1 s debounce fire.
    let deadline = this.deadlines.get(key);
    if (deadline === undefined) {
      deadline = now + (this.options.maxWaitMs?.(key) ?? Infinity);
      this.deadlines.set(key, deadline);
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(key);
        this.deadlines.delete(key);
        void this.runNow(key);
      },
      Math.max(0, Math.min(this.options.debounceMs, deadline - now)),
    );
    timer.unref();
    this.timers.set(key, timer);
  }

  /**
   * Runs a refresh of `key` now, or once more after the one in flight; resolves when done.
   * @param options.first jumps the queue of refreshes waiting for a turn (a refit the forecast worker would otherwise idle for).
   */
  runNow(key: string, options: { first?: boolean } = {}): Promise<void> {
    const inFlight = this.running.get(key);
    if (inFlight) {
      this.dirty.add(key);
      return inFlight;
    }
    const run = (async () => {
      // No await without need: a refresh started before close() still runs.
      if (this.permits && !this.permits.tryAcquire()) await this.permits.acquire(options.first === true);
      try {
        // A refresh still queued when the scheduler closed never starts, so close() does not wait for the whole queue.
        while (!this.closed) {
          this.dirty.delete(key);
          await this.refresh(key);
          if (!this.dirty.has(key)) break;
        }
      } finally {
        this.permits?.release();
        this.running.delete(key);
      }
    })();
    this.running.set(key, run);
    return run;
  }

  /** Cancels pending refreshes and waits for running ones. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.deadlines.clear();
    await Promise.allSettled([...this.running.values()]);
  }
}
