import type { Sample } from '../series/sample';

/** One series' batch of a group commit, and what became of it. */
export interface AppendItem {
  series: string;
  samples: readonly Sample[];
}

export type AppendOutcome = { ok: true; changed: number } | { ok: false; error: Error };

interface Waiting {
  item: AppendItem;
  resolve: (changed: number) => void;
  reject: (err: Error) => void;
}

/**
 * Group commit: appends that arrive in the same turn of the event loop (and, with a
 * synchronous commit such as SQLite's, while a commit runs) wait and are then committed
 * together, so N concurrent pushes cost one durable sync instead of N (with
 * `synchronous=FULL` a sync costs milliseconds) and, on PostgreSQL, one statement instead of
 * N. Each caller's promise settles with its own batch's outcome, after the commit that holds
 * it: an acknowledged append is on disk. An asynchronous commit does not hold back the next
 * group: groups run side by side, as separate appends did.
 */
export class GroupCommit {
  private queue: Waiting[] = [];
  private scheduled = false;

  /**
   * @param commit writes a group durably; its outcomes are in the order of the items. It may
   *   call `settle` with an item's outcome (by index) as soon as that item is durable: its
   *   caller is answered then, not when the whole group is.
   */
  constructor(private readonly commit: (items: readonly AppendItem[], settle: (index: number, outcome: AppendOutcome) => void) => AppendOutcome[] | Promise<AppendOutcome[]>) {}

  append(item: AppendItem): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the messages already delivered this turn, so they join the same group.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Appends not yet committed. */
  get waiting(): number {
    return this.queue.length;
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    const fail = (err: unknown): void => {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const w of group) w.reject(error);
    };
    // A promise settles once: an outcome told early wins over the group's later one.
    const settleOne = (index: number, outcome: AppendOutcome | undefined): void => {
      const w = group[index];
      if (!w) return;
      if (outcome?.ok) w.resolve(outcome.changed);
      else w.reject(outcome?.error ?? new Error('the group commit returned no outcome for this batch'));
    };
    const settle = (outcomes: AppendOutcome[]): void => group.forEach((_, i) => settleOne(i, outcomes[i]));
    let outcomes: AppendOutcome[] | Promise<AppendOutcome[]>;
    try {
      outcomes = this.commit(
        group.map((w) => w.item),
        (index, outcome) => settleOne(index, outcome),
      );
    } catch (err) {
      fail(err);
      return;
    }
    if (Array.isArray(outcomes)) settle(outcomes);
    else outcomes.then(settle, fail);
  }
}
