import type { AppendItem, AppendOutcome } from './sqlite-sample-writes';

interface Waiting {
  item: AppendItem;
  resolve: (changed: number) => void;
  reject: (err: Error) => void;
}

/**
 * Group commit: appends that arrive while a commit runs (or in the same turn of the event
 * loop) wait and are then committed together, so N concurrent pushes cost one durable sync
 * instead of N (with `synchronous=FULL` a sync costs milliseconds). Each caller's promise
 * settles with its own batch's outcome, after the commit that holds it: an acknowledged
 * append is on disk.
 */
export class GroupCommit {
  private queue: Waiting[] = [];
  private scheduled = false;

  /** @param commit writes a group in one transaction; its outcomes are in the order of the items. */
  constructor(private readonly commit: (items: readonly AppendItem[]) => AppendOutcome[]) {}

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
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.commit(group.map((w) => w.item));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) w.resolve(outcome.changed);
      else w.reject(outcome?.error ?? new Error('the group commit returned no outcome for this batch'));
    });
  }
}
