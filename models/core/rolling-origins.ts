/**
 * Rolling-origin arithmetic, written once for every evaluation that forecasts from several
 * cut points of one series: the ensemble's held-out windows, the promotion gate's held-out
 * stretch and the backtest (statsforecast's `cross_validation(h, n_windows, step_size)`).
 * An origin is the index of the first forecast step: the model sees `values[0, origin)` and is
 * scored on `values[origin, origin + horizonSteps)`.
 */

export interface RollingOriginsSpec {
  /** Number of values in the series (≥ 0). */
  readonly length: number;
  /** Steps forecast from each origin (≥ 1); every returned window fits inside the series. */
  readonly horizonSteps: number;
  /** Steps between consecutive origins (≥ 1). */
  readonly strideSteps: number;
  /** Most origins returned (default: as many as fit). */
  readonly count?: number;
  /** Fewest values before an origin; earlier origins are not returned (default 0). */
  readonly minTrainSteps?: number;
  /**
   * `end` (default): the newest window ends at the last value and the others step back from
   * it, so the freshest data is always scored. `start`: the oldest origin sits at
   * `minTrainSteps` and the others step forward while their window fits.
   */
  readonly anchor?: 'end' | 'start';
}

/**
 * Origins of a rolling-origin evaluation, oldest first.
 * @throws {RangeError} when `horizonSteps` or `strideSteps` is not a positive integer.
 */
export function rollingOrigins(spec: RollingOriginsSpec): number[] {
  const { length, horizonSteps: h, strideSteps: stride } = spec;
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`horizonSteps must be a positive integer, got ${h}`);
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`strideSteps must be a positive integer, got ${stride}`);
  const count = spec.count ?? Number.POSITIVE_INFINITY;
  const minTrain = spec.minTrainSteps ?? 0;
  const origins: number[] = [];
  if (spec.anchor === 'start') {
    for (let o = minTrain; o + h <= length && origins.length < count; o += stride) origins.push(o);
    return origins;
  }
  for (let o = length - h; o >= minTrain && origins.length < count; o -= stride) origins.push(o);
  return origins.reverse();
}

/**
 * The stride that spreads `count` origins over `spanSteps`, but never below `minStrideSteps`
 * (windows a horizon apart do not overlap; closer ones re-score the same values).
 */
export function spreadStride(spanSteps: number, count: number, minStrideSteps = 1): number {
  return Math.max(minStrideSteps, Math.floor(spanSteps / Math.max(1, count)));
}
