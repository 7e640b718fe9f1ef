import type { AppendItem } from './group-commit';

/** One multi-series upsert: the series in lock order, each with its samples' times and values. */
export interface AppendStatement {
  /** Indices into the group's items, one per series, in the order of `series`. */
  items: number[];
  /** Distinct series, sorted (code-unit order). */
  series: string[];
  /** Per sample: the 1-based index of its series in `series` (PostgreSQL arrays start at 1). */
  seriesIndex: number[];
  t: number[];
  v: number[];
}

/**
 * Splits a group of appends into as few statements as PostgreSQL allows:
 * - One statement may not upsert a key twice, so a series appears once per statement; a
 *   series' second batch in the group goes to a later statement, which runs after the first,
 *   so the later value wins as it does when the batches are appended one by one. Within one
 *   batch the last value of a timestamp wins, as in SQLite's one-by-one upsert.
 * - Rows are locked in (series, t) order, the same in every statement, so two replicas'
 *   statements over the same series wait for each other instead of deadlocking.
 * - A statement holds at most `maxSamples` samples (unless one batch alone is larger), so a
 *   backfill of many long batches does not become one huge array parameter.
 */
export function planAppendStatements(items: readonly AppendItem[], maxSamples: number): AppendStatement[] {
  const plans: number[][] = [];
  let current: number[] = [];
  let inCurrent = new Set<string>();
  let samplesInCurrent = 0;
  items.forEach((item, i) => {
    const full = current.length > 0 && samplesInCurrent + item.samples.length > maxSamples;
    if (inCurrent.has(item.series) || full) {
      plans.push(current);
      current = [];
      inCurrent = new Set();
      samplesInCurrent = 0;
    }
    current.push(i);
    inCurrent.add(item.series);
    samplesInCurrent += item.samples.length;
  });
  if (current.length > 0) plans.push(current);
  return plans.map((indices) => toStatement(items, indices));
}

function toStatement(items: readonly AppendItem[], indices: readonly number[]): AppendStatement {
  const ordered = [...indices].sort((a, b) => compare((items[a] as AppendItem).series, (items[b] as AppendItem).series));
  const statement: AppendStatement = { items: ordered, series: [], seriesIndex: [], t: [], v: [] };
  ordered.forEach((itemIndex, k) => {
    const item = items[itemIndex] as AppendItem;
    statement.series.push(item.series);
    const byT = new Map<number, number>();
    for (const s of item.samples) byT.set(s.t, s.v);
    for (const t of [...byT.keys()].sort((a, b) => a - b)) {
      statement.seriesIndex.push(k + 1);
      statement.t.push(t);
      statement.v.push(byT.get(t) as number);
    }
  });
  return statement;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
