import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { RegularSeries } from '../../models/core/forecaster';
import type { Sample } from '../series/sample';
import type { HistoryStore, SeriesStats } from './history-store';
import { SqliteSampleWrites } from './sqlite-sample-writes';
import { readSteps, seriesStats, type StepQuery } from './step-read';
import { WorkerHistoryWriter } from './worker-history-writer';
import { WorkerStepReader } from './worker-step-reader';

interface StatsRow {
  name: string;
  count: number;
  firstMs: number;
  lastMs: number;
}

/** Where reads and writes run: on worker threads with their own connections, or on the calling thread. */
export interface SqliteHistoryStoreOptions {
  /** Default `worker`; `inline` is for offline commands and tests with no build to start a worker from. */
  stepReads?: 'worker' | 'inline';
  /**
   * `append` and `deleteBefore`: `worker` runs them on a write thread with group commit (a
   * service with many pushing series); default: as `stepReads`.
   */
  writes?: 'worker' | 'inline';
}

/**
 * History in one SQLite file in WAL mode with `synchronous=FULL`: a batch is on disk when
 * `append` returns, so an acknowledged push survives a crash (or power loss) right after
 * the reply. Samples are keyed by (series, t), which makes re-sends idempotent. Step reads
 * (the refresh's history window) run on a worker thread by default: WAL lets its read-only
 * connection read while this one writes. Writes run on another (`WorkerHistoryWriter`), where
 * concurrent appends share one commit, so the serving thread never waits for the disk.
 */
export class SqliteHistoryStore implements HistoryStore {
  private readonly db: Database.Database;
  private readonly writes: SqliteSampleWrites;
  private readonly stepReader: WorkerStepReader | null;
  private readonly writer: WorkerHistoryWriter | null;

  constructor(
    readonly file: string,
    options: SqliteHistoryStoreOptions = {},
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS samples (
      series TEXT NOT NULL,
      t INTEGER NOT NULL,
      v REAL NOT NULL,
      PRIMARY KEY (series, t)
    ) WITHOUT ROWID`);
    this.writes = new SqliteSampleWrites(this.db);
    const reads = options.stepReads ?? 'worker';
    this.stepReader = reads === 'worker' ? new WorkerStepReader(file) : null;
    this.writer = (options.writes ?? reads) === 'worker' ? new WorkerHistoryWriter(file) : null;
  }

  // The methods are async for the interface (PostgreSQL answers over the network); SQLite
  // answers synchronously, and a thrown error becomes a rejection.
  async append(series: string, samples: readonly Sample[]): Promise<{ stored: number; changed: number }> {
    if (samples.length === 0) return { stored: 0, changed: 0 };
    const changed = this.writer ? await this.writer.append(series, samples) : this.writes.append(series, samples);
    return { stored: samples.length, changed };
  }

  async read(series: string, range: { fromMs?: number; toMs?: number } = {}): Promise<Sample[]> {
    return this.db
      .prepare('SELECT t, v FROM samples WHERE series = ? AND t >= ? AND t <= ? ORDER BY t')
      .all(series, range.fromMs ?? Number.MIN_SAFE_INTEGER, range.toMs ?? Number.MAX_SAFE_INTEGER) as Sample[];
  }

  readSteps(series: string, query: StepQuery): Promise<RegularSeries> {
    if (this.stepReader) return this.stepReader.read(series, query);
    try {
      return Promise.resolve(readSteps(this.db, series, query));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  async last(series: string): Promise<Sample | null> {
    // Prepared once: every served metric read asks for the last sample (freshness), and preparing costs more than the query.
    this.lastStmt ??= this.db.prepare('SELECT t, v FROM samples WHERE series = ? ORDER BY t DESC LIMIT 1');
    return (this.lastStmt.get(series) as Sample | undefined) ?? null;
  }
  private lastStmt: Database.Statement | undefined;

  /** On the read worker when there is one: a count walks every row of the series (about 2 ms for two weeks at 1 minute), ten thousand of them at start. */
  async stats(series: string): Promise<SeriesStats | null> {
    if (this.stepReader) return this.stepReader.stats(series);
    return seriesStats(this.db, series);
  }

  async allStats(): Promise<SeriesStats[]> {
    return this.db
      .prepare('SELECT series AS name, COUNT(*) AS count, MIN(t) AS firstMs, MAX(t) AS lastMs FROM samples GROUP BY series ORDER BY series')
      .all() as StatsRow[];
  }

  async deleteBefore(series: string, beforeMs: number): Promise<number> {
    return this.writer ? this.writer.deleteBefore(series, beforeMs) : this.writes.deleteBefore(series, beforeMs);
  }

  /** Closes at once with inline writes; with the write worker, after the writes already posted. */
  close(): void | Promise<void> {
    // The read worker's connection closes with its thread; a read still in flight fails.
    void this.stepReader?.close();
    const closeDb = (): void => {
      if (this.db.open) this.db.close();
    };
    if (!this.writer) return closeDb();
    return this.writer.close().then(closeDb);
  }
}
