import type Database from 'better-sqlite3';
import type { Sample } from '../series/sample';
import type { AppendItem, AppendOutcome } from './group-commit';

/**
 * The writes of the `samples` table, prepared once per connection: the same statements for
 * the calling thread (`inline`) and the history write worker, so both store the same rows.
 */
export class SqliteSampleWrites {
  private readonly upsert: Database.Statement<[string, number, number]>;
  private readonly deleteStmt: Database.Statement<[string, number]>;
  private readonly appendTx: (series: string, samples: readonly Sample[]) => number;
  private readonly groupTx: (items: readonly AppendItem[]) => AppendOutcome[];

  constructor(db: Database.Database) {
    // Rewriting an identical value is skipped, so `changed` tells new data from a re-send.
    this.upsert = db.prepare(
      'INSERT INTO samples (series, t, v) VALUES (?, ?, ?) ON CONFLICT (series, t) DO UPDATE SET v = excluded.v WHERE v IS NOT excluded.v',
    );
    this.deleteStmt = db.prepare('DELETE FROM samples WHERE series = ? AND t < ?');
    const upsertAll = (series: string, samples: readonly Sample[]): number => {
      let changed = 0;
      for (const s of samples) changed += this.upsert.run(series, s.t, s.v).changes;
      return changed;
    };
    this.appendTx = db.transaction(upsertAll);
    // better-sqlite3 runs a transaction function called inside another as a savepoint: a
    // batch that fails rolls back alone, and the others commit with it in one fsync.
    this.groupTx = db.transaction((items: readonly AppendItem[]) =>
      items.map((item): AppendOutcome => {
        try {
          return { ok: true, changed: this.appendTx(item.series, item.samples) };
        } catch (err) {
          return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
        }
      }),
    );
  }

  /** One series' samples in one transaction; returns how many were new or changed. */
  append(series: string, samples: readonly Sample[]): number {
    return this.appendTx(series, samples);
  }

  /**
   * Several series' batches in one transaction (group commit: one WAL sync for all). Each
   * batch is a savepoint of its own, so a batch the database refuses fails alone.
   * @throws only when the enclosing transaction itself cannot commit (every batch then failed).
   */
  appendGroup(items: readonly AppendItem[]): AppendOutcome[] {
    return this.groupTx(items);
  }

  deleteBefore(series: string, beforeMs: number): number {
    return this.deleteStmt.run(series, beforeMs).changes;
  }
}
