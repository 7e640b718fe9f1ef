import type Database from 'better-sqlite3';
import type { RegularSeries } from '../../models/core/forecaster';
import type { SeriesKind } from '../series/sample';
import type { SeriesStats } from './history-store';
import { StepFold } from './step-fold';

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
  const fold = new StepFold(stepSeconds);
  if (kind === 'gauge') {
    const rows = statements(db).gauge.all(series, fromMs, toMs, stepMs) as [number, number][];
    for (const [t, v] of rows) fold.add(t, v, { replace: true });
  } else {
    const rows = statements(db).rate.iterate(series, fromMs, toMs) as IterableIterator<[number, number]>;
    for (const [t, v] of rows) fold.add(t, v);
  }
  return fold.result(timezone);
}

/** How many samples `series` has and its first and last times; null when it has none. */
export function seriesStats(db: Database.Database, series: string): SeriesStats | null {
  return (statements(db).stats.get(series) as SeriesStats | undefined) ?? null;
}

interface StepStatements {
  gauge: Database.Statement;
  rate: Database.Statement;
  stats: Database.Statement;
}

// Prepared once per connection: a refresh's read is a few hundred rows, and preparing costs as much as reading them.
const prepared = new WeakMap<Database.Database, StepStatements>();

function statements(db: Database.Database): StepStatements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      gauge: db.prepare('SELECT MAX(t), v FROM samples WHERE series = ? AND t >= ? AND t <= ? GROUP BY floor(t / ?) ORDER BY 1').raw(),
      rate: db.prepare('SELECT t, v FROM samples WHERE series = ? AND t >= ? AND t <= ? ORDER BY t').raw(),
      stats: db.prepare('SELECT series AS name, COUNT(*) AS count, MIN(t) AS firstMs, MAX(t) AS lastMs FROM samples WHERE series = ? GROUP BY series'),
    };
    prepared.set(db, s);
  }
  return s;
}
