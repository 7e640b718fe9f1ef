import type Database from 'better-sqlite3';
import type { RegularSeries } from '../../models/core/forecaster';
import { alignToStep } from '../series/regularize';
import type { SeriesKind } from '../series/sample';

/**
 * One history read folded onto a series' step. Times are epoch milliseconds, inclusive;
 * `stepSeconds` > 0.
 */
export interface StepQuery {
  fromMs?: number;
  toMs?: number;
  stepSeconds: number;
  kind: SeriesKind;
  timezone: string;
}

/**
 * Reads `series` from the `samples` table folded onto the step, with exactly the result
 * `regularize(read(series, range), …)` gives (same grid, same NaN gaps, same bits), but
 * without materialising one object per raw sample.
 *
 * - gauge: SQL groups by step and keeps the newest sample per step (SQLite's documented
 *   bare-column rule for `MAX()`), so only one row per step crosses into JavaScript.
 * - rate: the samples stream in time order and are summed here. SQLite's own `SUM`/`AVG`
 *   (3.43+) use Kahan–Babuška–Neumaier summation, which differs from `regularize`'s plain
 *   sum in the last bit for most steps, and a user aggregate over `GROUP BY` sees its rows
 *   in no defined order; a time-ordered fold is the one that stays identical.
 */
export function readSteps(db: Database.Database, series: string, query: StepQuery): RegularSeries {
  const { stepSeconds, kind, timezone } = query;
  const stepMs = stepSeconds * 1000;
  const fromMs = query.fromMs ?? Number.MIN_SAFE_INTEGER;
  const toMs = query.toMs ?? Number.MAX_SAFE_INTEGER;
  const sum: number[] = [];
  const n: number[] = [];
  let startMs = Number.NaN;
  // The same index arithmetic as regularize, so each sample lands in the same step.
  const add = (t: number, v: number, replace: boolean): void => {
    if (Number.isNaN(startMs)) startMs = alignToStep(t, stepSeconds);
    const i = Math.floor((t - startMs) / stepMs);
    while (sum.length <= i) {
      sum.push(0);
      n.push(0);
    }
    if (replace) {
      sum[i] = v;
      n[i] = 1;
    } else {
      sum[i] = (sum[i] as number) + v;
      n[i] = (n[i] as number) + 1;
    }
  };
  if (kind === 'gauge') {
    const rows = db
      .prepare('SELECT MAX(t), v FROM samples WHERE series = ? AND t >= ? AND t <= ? GROUP BY floor(t / ?) ORDER BY 1')
      .raw()
      .all(series, fromMs, toMs, stepMs) as [number, number][];
    for (const [t, v] of rows) add(t, v, true);
  } else {
    const rows = db.prepare('SELECT t, v FROM samples WHERE series = ? AND t >= ? AND t <= ? ORDER BY t').raw().iterate(series, fromMs, toMs) as IterableIterator<[number, number]>;
    for (const [t, v] of rows) add(t, v, false);
  }
  if (Number.isNaN(startMs)) return { startMs: alignToStep(0, stepSeconds), stepSeconds, values: [], timezone };
  const values = sum.map((s, i) => ((n[i] as number) > 0 ? s / (n[i] as number) : Number.NaN));
  return { startMs, stepSeconds, values, timezone };
}
