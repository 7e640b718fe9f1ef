import type { Pool } from 'pg';
import type { RegularSeries } from '../../models/core/forecaster';
import { withConflictRetry } from '../postgres/conflict-retry';
import { StepFold } from './step-fold';
import type { StepQuery } from './step-read';

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
 * sample per step. Holds no state but the pool's named statement: the history store calls it
 * inline, the step-read worker on its own pool.
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
