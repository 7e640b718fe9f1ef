/**
 * A counting semaphore with a FIFO queue: at most `size` holders at once, later callers of
 * `acquire` are let in in the order they asked. `tryAcquire` never waits, so a caller can do
 * something cheaper instead of queueing.
 */
export class Permits {
  private held = 0;
  private readonly queue: (() => void)[] = [];

  /** @param size holders at once; at least 1. */
  constructor(readonly size: number) {
    if (!(size >= 1)) throw new RangeError(`permits: size must be at least 1, got ${size}`);
  }

  /** Takes a permit if one is free now. */
  tryAcquire(): boolean {
    if (this.held >= this.size || this.queue.length > 0) return false;
    this.held++;
    return true;
  }

  /**
   * Resolves once a permit is held by the caller; release it with {@link release}.
   * @param first waits at the head of the queue instead of its tail (work others are waiting on).
   */
  acquire(first = false): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => (first ? this.queue.unshift(resolve) : this.queue.push(resolve)));
  }

  /** Returns a permit: the longest waiter gets it. */
  release(): void {
    const next = this.queue.shift();
    // Handed over directly, so a `tryAcquire` in between cannot jump the queue.
    if (next) next();
    else this.held = Math.max(0, this.held - 1);
  }

  /** Callers waiting in `acquire`. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Permits free now. */
  get free(): number {
    return this.size - this.held;
  }
}
