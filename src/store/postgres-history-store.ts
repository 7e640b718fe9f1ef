import { randomUUID } from 'node:crypto';
import type { QueryConfig } from 'pg';
import type { RegularSeries } from '../../models/core/forecaster';
import type { PostgresDatabase } from '../postgres/postgres-database';
import { withConflictRetry } from '../postgres/conflict-retry';
import { PostgresListener } from '../postgres/postgres-listener';
import type { Sample } from '../series/sample';
import type { ExternalChangeListener, HistoryStore, SeriesStats } from './history-store';
import { readPostgresSteps } from './postgres-step-read';
import type { StepQuery } from './step-read';
import { WorkerPostgresStepReader } from './worker-postgres-step-reader';

/** The NOTIFY channel of appends; the payload is `<writer id> <series>`. */
export const SAMPLES_CHANNEL = 'prescale_samples';

// Named statements: each connection of the pool prepares them once and then only binds.
// `ORDER BY prescale_samples.t`, never a bare `t`: a bare name in ORDER BY means the output
// column `t` (the float8 cast), which the primary key cannot order, so `last` sorted all 20,160
// rows of a 14-day series (35 ms) instead of reading one index entry backwards (0.1 ms).
const APPEND = `WITH batch AS (SELECT * FROM unnest($2::bigint[], $3::float8[]) AS b(t, v)),
  written AS (
    INSERT INTO prescale_samples (series, t, v) SELECT $1, t, v FROM batch
    ON CONFLICT (series, t) DO UPDATE SET v = excluded.v WHERE prescale_samples.v IS DISTINCT FROM excluded.v
    RETURNING 1)
  SELECT count(*)::int AS changed, CASE WHEN count(*) > 0 THEN pg_notify('${SAMPLES_CHANNEL}', $4) END AS notified FROM written`;
const READ = 'SELECT t::float8, v FROM prescale_samples WHERE series = $1 AND t >= $2 AND t <= $3 ORDER BY prescale_samples.t';
const LAST = 'SELECT t::float8, v FROM prescale_samples WHERE series = $1 ORDER BY prescale_samples.t DESC LIMIT 1';
const STATS = 'SELECT series, count(*)::float8, min(t)::float8, max(t)::float8 FROM prescale_samples WHERE series = $1 GROUP BY series';
// COLLATE "C": byte order, as SQLite sorts, whatever the database's collation.
const ALL_STATS = 'SELECT series, count(*)::float8, min(t)::float8, max(t)::float8 FROM prescale_samples GROUP BY series ORDER BY series COLLATE "C"';
const DELETE_BEFORE = 'DELETE FROM prescale_samples WHERE series = $1 AND t < $2';

/** Where step reads run: on a worker thread with its own pool, or on the calling thread's pool. */
export interface PostgresHistoryStoreOptions {
  /**
   * Default `worker` when the database knows its URL (`PostgresDatabase.open`); `inline` is
   * for offline commands and tests with no build to start a worker from.
   */
  stepReads?: 'worker' | 'inline';
}

/**
 * History in PostgreSQL, shared by every replica. Samples are keyed (series, t); `append`
 * is one statement (an `unnest` upsert) that resolves after the commit, so an acknowledged
 * push is durable (with the server's default `synchronous_commit = on`). The same statement
 * NOTIFYs the other replicas, which reload the series and refresh its forecast
 * (`onExternalChange`). Step reads fold in SQL: one row per step crosses the network, and
 * by default they run on a worker thread (`WorkerPostgresStepReader`), so the serving thread
 * never parses their rows.
 */
export class PostgresHistoryStore implements HistoryStore {
  /** Tells this process's own notifications from other replicas'. */
  private readonly writerId = randomUUID();
  private readonly listeners: ExternalChangeListener[] = [];
  private listener: PostgresListener | null = null;
  private closed = false;
  private readonly stepReader: WorkerPostgresStepReader | null;

  constructor(
    private readonly db: PostgresDatabase,
    options: PostgresHistoryStoreOptions = {},
  ) {
    const reads = options.stepReads ?? (db.url !== null ? 'worker' : 'inline');
    if (reads === 'worker' && db.url === null) throw new Error('stepReads: worker needs a PostgresDatabase opened on a URL (PostgresDatabase.open)');
    this.stepReader = reads === 'worker' && db.url !== null ? new WorkerPostgresStepReader(db.url) : null;
  }

  async append(series: string, samples: readonly Sample[]): Promise<{ stored: number; changed: number }> {
    if (samples.length === 0) return { stored: 0, changed: 0 };
    // One statement may not upsert a key twice; as in SQLite's one-by-one upsert, the last value of a timestamp wins.
    const byT = new Map<number, number>();
    for (const s of samples) byT.set(s.t, s.v);
    const ts = [...byT.keys()].sort((a, b) => a - b);
    // Sorted keys: concurrent batches of one series lock rows in the same order, so they cannot deadlock each other.
    const rows = await this.query<[number, unknown]>({ name: 'prescale_append', text: APPEND, values: [series, ts, ts.map((t) => byT.get(t)), `${this.writerId} ${series}`] });
    return { stored: samples.length, changed: rows[0]?.[0] ?? 0 };
  }

  async read(series: string, range: { fromMs?: number; toMs?: number } = {}): Promise<Sample[]> {
    const rows = await this.query<[number, number]>({ name: 'prescale_read', text: READ, values: bounds(series, range) });
    return rows.map(([t, v]) => ({ t, v }));
  }

  /** Waits for the schema (and LISTEN) here, so the worker never reads a table older than the code. */
  async readSteps(series: string, query: StepQuery): Promise<RegularSeries> {
    await this.ready();
    return this.stepReader ? this.stepReader.read(series, query) : readPostgresSteps(this.db.pool, series, query);
  }

  async last(series: string): Promise<Sample | null> {
    const row = (await this.query<[number, number]>({ name: 'prescale_last', text: LAST, values: [series] }))[0];
    return row ? { t: row[0], v: row[1] } : null;
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
        const space = payload.indexOf(' ');
        if (space < 0 || payload.slice(0, space) === this.writerId) return;
        this.emit(payload.slice(space + 1));
      },
      onResync: () => this.emit(null),
    });
  }

  /** Stops listening and the read worker (a read still in flight fails). The pool belongs to the `PostgresDatabase`, which its owner closes. */
  close(): void {
    this.closed = true;
    this.listener?.close();
    void this.stepReader?.close();
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
