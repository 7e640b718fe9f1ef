/**
 * Debounces and serialises refreshes per key: a burst of pushes leads to one refresh after
 * `debounceMs` of quiet, and a push during a running refresh leads to exactly one more
 * afterwards. Refreshes of different keys run independently.
 */
export class RefreshScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private closed = false;

  constructor(
    private readonly refresh: (key: string) => Promise<void>,
    private readonly debounceMs: number,
  ) {}

  /** Asks for a refresh of `key` after the debounce delay. */
  request(key: string): void {
    if (this.closed) return;
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.runNow(key);
    }, this.debounceMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Runs a refresh of `key` now, or once more after the one in flight; resolves when done. */
  runNow(key: string): Promise<void> {
    const inFlight = this.running.get(key);
    if (inFlight) {
      this.dirty.add(key);
      return inFlight;
    }
    const run = (async () => {
      try {
        do {
          this.dirty.delete(key);
          await this.refresh(key);
        } while (this.dirty.has(key) && !this.closed);
      } finally {
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
    await Promise.allSettled([...this.running.values()]);
  }
}
