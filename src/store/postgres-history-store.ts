import { randomUUID } from 'node:crypto';
import type { QueryConfig } from 'pg';
import type { RegularSeries } from '../../models/core/forecaster';
import type { PostgresDatabase } from '../postgres/postgres-database';
import { withConflictRetry } from '../postgres/conflict-retry';
import { PostgresListener } from '../postgres/postgres-listener';
import type { Sample } from '../series/sample';
import type { ExternalChangeListener, HistoryStore, SeriesStats } from './history-store';
import { GroupCommit } from './group-commit';
import { SAMPLES_CHANNEL, appendSampleGroup, lastSample, readPostgresSteps } from './postgres-sample-queries';
import type { StepQuery } from './step-read';
import { WorkerPostgresHistory } from './worker-postgres-history';

// Named statements: each connection of the pool prepares them once and then only binds.
// `ORDER BY prescale_samples.t`, never a bare `t` (see postgres-sample-queries.ts).
const READ = 'SELECT t::float8, v FROM prescale_samples WHERE series = $1 AND t >= $2 AND t <= $3 ORDER BY prescale_samples.t';
const STATS = 'SELECT series, count(*)::float8, min(t)::float8, max(t)::float8 FROM prescale_samples WHERE series = $1 GROUP BY series';
// COLLATE "C": byte order, as SQLite sorts, whatever the database's collation.
const ALL_STATS = 'SELECT series, count(*)::float8, min(t)::float8, max(t)::float8 FROM prescale_samples GROUP BY series ORDER BY series COLLATE "C"';
const DELETE_BEFORE = 'DELETE FROM prescale_samples WHERE series = $1 AND t < $2';

/** Where the statements of every refresh and push run: on a worker thread with its own pool, or on the calling thread's pool. */
export interface PostgresHistoryStoreOptions {
  /**
   * `append`, `last` and `readSteps`. Default `worker` when the database knows its URL
   * (`PostgresDatabase.open`); `inline` is for offline commands and tests with no build to
   * start a worker from.
   */
  hotPath?: 'worker' | 'inline';
}

/**
 * History in PostgreSQL, shared by every replica. Samples are keyed (series, t); the appends
 * made in one turn (a push request's series) are one statement (an `unnest` upsert) that
 * resolves after the commit, so an acknowledged push is durable (with the server's default
 * `synchronous_commit = on`). The same statement NOTIFYs the other replicas, which reload
 * the series and refresh its forecast (`onExternalChange`). Appends, `last` and step reads
 * run on a worker thread by default (`WorkerPostgresHistory`), so the serving thread neither
 * submits their statements nor parses their replies; LISTEN, counts and retention stay on
 * this thread's pool.
 */
export class PostgresHistoryStore implements HistoryStore {
  /** Tells this process's own notifications from other replicas'. */
  private readonly writerId = randomUUID();
  private readonly listeners: ExternalChangeListener[] = [];
  private listener: PostgresListener | null = null;
  private closed = false;
  private readonly worker: WorkerPostgresHistory | null;
  private readonly group: GroupCommit;

  constructor(
    private readonly db: PostgresDatabase,
    options: PostgresHistoryStoreOptions = {},
  ) {
    const { url } = db;
    const hotPath = options.hotPath ?? (url !== null ? 'worker' : 'inline');
    if (hotPath === 'worker' && url === null) throw new Error('hotPath: worker needs a PostgresDatabase opened on a URL (PostgresDatabase.open)');
    const worker = hotPath === 'worker' && url !== null ? new WorkerPostgresHistory(url) : null;
    this.worker = worker;
    // The appends of one turn (a push request's series) are one group here, whichever thread
    // runs their statement: on the worker path that is also one message each way.
    // Each caller is answered when its own statement commits, not when the whole group has.
    this.group = new GroupCommit((items, settle) =>
      worker
        ? worker.append(items, this.writerId, settle)
        : appendSampleGroup(db.pool, items, this.writerId, (settled) => {
            for (const { index, outcome } of settled) settle(index, outcome);
          }),
    );
  }

  async append(series: string, samples: readonly Sample[]): Promise<{ stored: number; changed: number }> {
    if (samples.length === 0) return { stored: 0, changed: 0 };
    await this.ready();
    const changed = await this.group.append({ series, samples });
    return { stored: samples.length, changed };
  }

  async read(series: string, range: { fromMs?: number; toMs?: number } = {}): Promise<Sample[]> {
    const rows = await this.query<[number, number]>({ name: 'prescale_read', text: READ, values: bounds(series, range) });
    return rows.map(([t, v]) => ({ t, v }));
  }

  /** Waits for the schema (and LISTEN) here, as every method does, so the worker never reads a table older than the code. */
  async readSteps(series: string, query: StepQuery): Promise<RegularSeries> {
    await this.ready();
    return this.worker ? this.worker.readSteps(series, query) : readPostgresSteps(this.db.pool, series, query);
  }

  async last(series: string): Promise<Sample | null> {
    await this.ready();
    return this.worker ? this.worker.last(series) : lastSample(this.db.pool, series);
  }

  async stats(series: string): Promise<SeriesStats | null> {
    const row = (await this.query<StatsRow>({ name: 'prescale_stats', text: STATS, values: [series] }))[0];
    return row ? toStats(row) : null;
  }

  async allStats(): Promise<SeriesStats[]> {
    return (await this.query<StatsRow>({ name: 'prescale_all_stats', text: ALL_STATS, values: [] })).map(toStats);
  }

  /**
   * Safe with several replicas: a range delete holds no state between statements, so two
   * replicas deleting the same range at once delete each row once (the second waits on the
   * first's row locks and then finds them gone) and their counts add up to the rows removed.
   */
  async deleteBefore(series: string, beforeMs: number): Promise<number> {
    await this.ready();
    const result = await withConflictRetry(() => this.db.pool.query({ name: 'prescale_delete_before', text: DELETE_BEFORE, values: [series, beforeMs] }));
    return result.rowCount ?? 0;
  }

  /** Starts LISTEN on first use; every later store call waits for it, so no append is missed between a read and the subscription. */
  onExternalChange(listener: ExternalChangeListener): void {
    this.listeners.push(listener);
    this.listener ??= new PostgresListener(this.db.pool, {
      channel: SAMPLES_CHANNEL,
      onPayload: (payload) => {
        const [writer, ...series] = payload.split(' ');
        if (writer === this.writerId) return;
        for (const name of series) if (name !== '') this.emit(name);
      },
      onResync: () => this.emit(null),
    });
  }

  /** Stops listening and the worker (a statement still in flight fails; an append in flight may still commit). The pool belongs to the `PostgresDatabase`, which its owner closes. */
  close(): void {
    this.closed = true;
    this.listener?.close();
    void this.worker?.close();
  }

  private emit(series: string | null): void {
    for (const l of this.listeners) l(series);
  }

  private async ready(): Promise<void> {
    if (this.closed) throw new Error('the history store is closed');
    await this.db.ready();
    await this.listener?.start();
  }

  private async query<R extends unknown[]>(config: QueryConfig): Promise<R[]> {
    await this.ready();
    const result = await withConflictRetry(() => this.db.pool.query<R>({ ...config, rowMode: 'array' }));
    return result.rows;
  }
}

type StatsRow = [string, number, number, number];

function toStats([name, count, firstMs, lastMs]: StatsRow): SeriesStats {
  return { name, count, firstMs, lastMs };
}

function bounds(series: string, range: { fromMs?: number | undefined; toMs?: number | undefined }): [string, number, number] {
  return [series, range.fromMs ?? Number.MIN_SAFE_INTEGER, range.toMs ?? Number.MAX_SAFE_INTEGER];
}
