import type { Pool } from 'pg';
import type { RegularSeries } from '../../models/core/forecaster';
import { withConflictRetry } from '../postgres/conflict-retry';
import type { Sample } from '../series/sample';
import type { AppendItem, AppendOutcome } from './group-commit';
import { type AppendStatement, planAppendStatements } from './postgres-append-plan';
import { StepFold } from './step-fold';
import type { StepQuery } from './step-read';

// The statements of a refresh and a push, one function each over a pool. They hold no state
// but the pool's named statements (each connection prepares them once and then only binds):
// the history store runs them on its own pool, or the history worker on the worker's.

/**
 * The NOTIFY channel of appends. The payload is `<writer id> <series> [<series> …]`: the
 * series changed by one statement, space-separated (series names have no spaces), at most
 * {@link SERIES_PER_NOTIFY} per notification.
 */
export const SAMPLES_CHANNEL = 'prescale_samples';
/**
 * Series named in one NOTIFY: 100 names of at most 63 characters and the writer id stay under
 * the server's 8,000-byte payload limit. One notification per series was 10,000 messages a
 * round for every replica's listener to parse at 10,000 series.
 */
const SERIES_PER_NOTIFY = 100;

// One upsert for several series (see postgres-append-plan.ts): per sample the 1-based index
// of its series in $1, then t and v. It NOTIFYs the series that changed, a hundred per
// notification. `notified` is referenced so that it runs (a CTE no one reads is skipped), and
// pg_notify, being volatile, keeps it from being inlined.
const APPEND_GROUP = `WITH batch AS (SELECT ($1::text[])[i] AS series, t, v FROM unnest($2::int[], $3::bigint[], $4::float8[]) AS b(i, t, v)),
  written AS (
    INSERT INTO prescale_samples (series, t, v) SELECT series, t, v FROM batch
    ON CONFLICT (series, t) DO UPDATE SET v = excluded.v WHERE prescale_samples.v IS DISTINCT FROM excluded.v
    RETURNING series),
  changed AS (SELECT series, count(*)::int AS n FROM written GROUP BY series),
  notified AS (
    SELECT pg_notify('${SAMPLES_CHANNEL}', $5 || ' ' || string_agg(series, ' ')) FROM
      (SELECT series, (row_number() OVER (ORDER BY series) - 1) / ${SERIES_PER_NOTIFY} AS chunk FROM changed) AS numbered GROUP BY chunk)
  SELECT series, n, (SELECT count(*) FROM notified) FROM changed`;
// The same for one series (a backfill's long batches, a push of one series): no per-sample
// index array to send and parse. With the group statement for these too, a 10,000-series
// backfill took 2,185 s, against 1,985 s with this one (one run each, not on an idle machine).
const APPEND_ONE = `WITH batch AS (SELECT * FROM unnest($2::bigint[], $3::float8[]) AS b(t, v)),
  written AS (
    INSERT INTO prescale_samples (series, t, v) SELECT $1::text, t, v FROM batch
    ON CONFLICT (series, t) DO UPDATE SET v = excluded.v WHERE prescale_samples.v IS DISTINCT FROM excluded.v
    RETURNING 1)
  SELECT $1::text, count(*)::int, CASE WHEN count(*) > 0 THEN pg_notify('${SAMPLES_CHANNEL}', $4 || ' ' || $1::text) END FROM written`;
/**
 * Samples per append statement. A push of many short batches becomes one statement; long
 * batches (a backfill's 20,160 samples per series) each get their own, so they run side by
 * side on the pool's connections (the server's work for them is the index inserts, which one
 * statement does on one core).
 */
const MAX_STATEMENT_SAMPLES = 10_000;
// `ORDER BY prescale_samples.t`, never a bare `t`: a bare name in ORDER BY means the output
// column `t` (the float8 cast), which the primary key cannot order, so `last` sorted all 20,160
// rows of a 14-day series (35 ms) instead of reading one index entry backwards (0.1 ms).
const LAST = 'SELECT t::float8, v FROM prescale_samples WHERE series = $1 ORDER BY prescale_samples.t DESC LIMIT 1';

// The raw samples in time order, packed by the server into one bytea of big-endian float8
// pairs (t, v), and folded here.
// - Not folded in SQL: `GROUP BY` the step with `sum(v ORDER BY t)` (or `DISTINCT ON` for a
//   gauge) cost the server a sort per step: 3.5 ms of execution for a 26 h read of a 1-minute
//   series, against 1.4 ms for this one (EXPLAIN ANALYZE, PostgreSQL 15, 1,561 rows).
// - Not one row per sample: the driver parses each row's text into numbers, 3.0 ms of the
//   reading thread per 26 h read, against 0.6 ms to decode the packed bytes. In a 1,000-series
//   steady state that parse kept the read worker 60–90 % busy and was what bounded a round.
// float8send is the value's exact IEEE bits, so the fold sees what a row read would give.
const STEP_READ = `SELECT string_agg(float8send(t::float8) || float8send(v), ''::bytea ORDER BY t) FROM prescale_samples
  WHERE series = $1 AND t >= $2 AND t <= $3`;
/** Bytes per packed sample: two float8. */
const PACKED_SAMPLE_BYTES = 16;

/**
 * Reads `series` from `prescale_samples` folded onto the step, with exactly the result
 * `regularize(read(series, range), …)` gives (same grid, same NaN gaps, same bits): rate
 * samples are summed in time order as `regularize` sums them, a gauge keeps the newest
 * sample per step.
 */
export async function readPostgresSteps(pool: Pool, series: string, query: StepQuery): Promise<RegularSeries> {
  const values = [series, query.fromMs ?? Number.MIN_SAFE_INTEGER, query.toMs ?? Number.MAX_SAFE_INTEGER];
  const { rows } = await withConflictRetry(() => pool.query<[Buffer | null]>({ name: 'prescale_step_read', text: STEP_READ, values, rowMode: 'array' }));
  // No samples in the range: the aggregate is NULL.
  const packed = rows[0]?.[0] ?? Buffer.alloc(0);
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const fold = new StepFold(query.stepSeconds);
  const options = { replace: query.kind === 'gauge' };
  for (let at = 0; at + PACKED_SAMPLE_BYTES <= packed.byteLength; at += PACKED_SAMPLE_BYTES) {
    fold.add(view.getFloat64(at), view.getFloat64(at + 8), options);
  }
  return fold.result(query.timezone);
}

/**
 * Upserts a group of appends (see `GroupCommit`) in as few statements as
 * `planAppendStatements` allows, usually one: a push of 100 series costs one statement, one
 * commit and one round trip instead of 100. Each statement also NOTIFYs the series it changed
 * (`SAMPLES_CHANNEL`). When the server refuses a statement, its batches are retried
 * one by one, so a batch it refuses fails alone, as in SQLite's group commit.
 * @returns per item, in order: how many samples were new or got a new value, or the error.
 */
export async function appendSampleGroup(pool: Pool, items: readonly AppendItem[], writerId: string, onSettled?: SettledOutcomes): Promise<AppendOutcome[]> {
  const outcomes = new Array<AppendOutcome>(items.length);
  // Statements run side by side on the pool (two backfill batches in one group: the server
  // inserts one while the next is sent), except that a statement waits for the earlier ones
  // holding any of its series, so a series' batches still apply in order.
  const lastOf = new Map<string, Promise<void>>();
  const runs = planAppendStatements(items, MAX_STATEMENT_SAMPLES).map((statement) => {
    const earlier = new Set(statement.series.flatMap((name) => lastOf.get(name) ?? []));
    const run = Promise.all(earlier)
      .then(() => appendStatement(pool, items, statement, writerId, outcomes))
      .then(() => onSettled?.(statement.items.map((i) => ({ index: i, outcome: outcomes[i] as AppendOutcome }))));
    for (const name of statement.series) lastOf.set(name, run);
    return run;
  });
  await Promise.all(runs);
  return outcomes;
}

/**
 * Told, as each statement of a group commits (or fails), of its items' outcomes by index into
 * the group, before the whole group is done: a caller whose batch is in the first statement
 * need not wait for the others (two backfill lanes in one group would otherwise go in lock-step).
 */
export type SettledOutcomes = (settled: readonly { index: number; outcome: AppendOutcome }[]) => void;

/** Runs one planned statement and records its items' outcomes; never rejects. */
async function appendStatement(pool: Pool, items: readonly AppendItem[], statement: AppendStatement, writerId: string, outcomes: AppendOutcome[]): Promise<void> {
  try {
    const changed = await runAppend(pool, statement, writerId);
    for (const i of statement.items) outcomes[i] = { ok: true, changed: changed.get((items[i] as AppendItem).series) ?? 0 };
  } catch (err) {
    if (statement.items.length === 1) {
      outcomes[statement.items[0] as number] = failed(err);
      return;
    }
    for (const i of statement.items) {
      const item = items[i] as AppendItem;
      try {
        const [alone] = planAppendStatements([item], MAX_STATEMENT_SAMPLES);
        outcomes[i] = { ok: true, changed: (await runAppend(pool, alone as AppendStatement, writerId)).get(item.series) ?? 0 };
      } catch (itemErr) {
        outcomes[i] = failed(itemErr);
      }
    }
  }
}

/** @returns per series that changed, how many samples did. */
async function runAppend(pool: Pool, statement: AppendStatement, writerId: string): Promise<Map<string, number>> {
  const one = statement.series.length === 1;
  const config = one
    ? { name: 'prescale_append', text: APPEND_ONE, values: [statement.series[0], statement.t, statement.v, writerId] }
    : { name: 'prescale_append_group', text: APPEND_GROUP, values: [statement.series, statement.seriesIndex, statement.t, statement.v, writerId] };
  const { rows } = await withConflictRetry(() => pool.query<[string, number, unknown]>({ ...config, rowMode: 'array' }));
  return new Map(rows.map(([series, changed]) => [series, changed]));
}

function failed(err: unknown): AppendOutcome {
  return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
}

/** The newest sample of `series`, or null when it has none. */
export async function lastSample(pool: Pool, series: string): Promise<Sample | null> {
  const { rows } = await withConflictRetry(() => pool.query<[number, number]>({ name: 'prescale_last', text: LAST, values: [series], rowMode: 'array' }));
  const row = rows[0];
  return row ? { t: row[0], v: row[1] } : null;
}
