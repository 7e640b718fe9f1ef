/**
 * Empirical error distributions stored as quantiles on a fixed grid of levels, so a fitted
 * model can answer any quantile at predict time without keeping every residual.
 */

/** Levels 0.01, 0.02, … 0.99. */
export const GRID_LEVELS: readonly number[] = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/** Quantile of sorted data by linear interpolation (type 7, as numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, level: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * level;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Summarises errors as their quantiles on {@link GRID_LEVELS}; all zeros when there are none. */
export function errorGrid(errors: ArrayLike<number>): number[] {
  if (!(errors instanceof Float64Array)) return gridOfSorted(Float64Array.from(Array.prototype.filter.call(errors, Number.isFinite) as number[]).sort());
  // A typed array is copied once and sorted natively; -Infinity sorts first, +Infinity and NaN last, and both ends are cut off.
  const sorted = errors.slice().sort();
  let from = 0;
  let to = sorted.length;
  while (from < to && !Number.isFinite(sorted[from])) from++;
  while (to > from && !Number.isFinite(sorted[to - 1])) to--;
  return gridOfSorted(sorted.subarray(from, to));
}

function gridOfSorted(finite: Float64Array): number[] {
  if (finite.length === 0) return GRID_LEVELS.map(() => 0);
  return GRID_LEVELS.map((level) => quantileSorted(finite, level));
}

/**
 * Reads a quantile from a grid, interpolating between grid levels and clamping at the ends.
 * `at` is where the grid starts in `grid` (grids packed one after another in one array).
 */
export function gridQuantile(grid: ArrayLike<number>, level: number, at = 0, length = grid.length - at): number {
  const pos = level * 100 - 1;
  if (pos <= 0) return grid[at] as number;
  if (pos >= length - 1) return grid[at + length - 1] as number;
  const lo = Math.floor(pos);
  const a = grid[at + lo] as number;
  const b = grid[at + lo + 1] as number;
  return a + (b - a) * (pos - lo);
}
