/**
 * The last `maxLength` values with gaps (NaN) filled, because MSTL needs a full grid. Short
 * gaps are filled linearly. A gap longer than `seasonal.maxLinearSteps` is filled from the
 * same time on the nearest observed seasons before and after it (their mean where both exist;
 * the longest period that has such neighbours, so a week where the weekly cycle is known): a straight line across days of outage would be learned as a flat season, and a
 * zero fill as a collapse of load (issue 15, item 6). Leading and trailing gaps carry the
 * nearest value (or, when long, the nearest observed day).
 */
export function interpolateGaps(values: ArrayLike<number>, maxLength = values.length, seasonal?: SeasonalFill): Float64Array {
  const from = Math.max(0, values.length - maxLength);
  const out = Float64Array.from(Array.prototype.slice.call(values, from) as number[]);
  const observed = Uint8Array.from(out, (v) => (Number.isFinite(v) ? 1 : 0));
  let prev = -1;
  for (let i = 0; i <= out.length; i++) {
    if (i < out.length && !observed[i]) continue;
    const gap = i - prev - 1;
    if (gap > 0) {
      if (seasonal && gap > seasonal.maxLinearSteps && seasonal.periodSteps.some((period) => fillSeasonally(out, observed, prev + 1, i, period))) {
        // filled from neighbouring days
      } else if (prev === -1 && i < out.length) out.fill(out[i] as number, 0, i);
      else if (i === out.length && prev >= 0) out.fill(out[prev] as number, prev + 1);
      else if (prev >= 0) for (let k = prev + 1; k < i; k++) out[k] = (out[prev] as number) + (((out[i] as number) - (out[prev] as number)) * (k - prev)) / (i - prev);
    }
    prev = i;
  }
  return out;
}

/** How long gaps are filled. */
export interface SeasonalFill {
  /** Season lengths in steps, longest first (a week, a day): the first with neighbours on every gap step fills it. */
  periodSteps: readonly number[];
  /** Longest gap filled linearly; longer ones are filled from neighbouring seasons. */
  maxLinearSteps: number;
}

/**
 * Fills `out[from, to)` with the mean of the nearest observed value a whole number of periods
 * before and after each step. False (nothing written) when some step has no such neighbour.
 */
function fillSeasonally(out: Float64Array, observed: Uint8Array, from: number, to: number, period: number): boolean {
  if (period < 2) return false;
  const fill = new Float64Array(to - from);
  for (let i = from; i < to; i++) {
    let before = Number.NaN;
    for (let k = i - period; k >= 0 && Number.isNaN(before); k -= period) if (observed[k]) before = out[k] as number;
    let after = Number.NaN;
    for (let k = i + period; k < out.length && Number.isNaN(after); k += period) if (observed[k]) after = out[k] as number;
    const v = Number.isNaN(before) ? after : Number.isNaN(after) ? before : (before + after) / 2;
    if (Number.isNaN(v)) return false;
    fill[i - from] = v;
  }
  out.set(fill, from);
  return true;
}
