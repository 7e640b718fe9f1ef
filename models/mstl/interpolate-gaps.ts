/**
 * The last `maxLength` values with gaps (NaN) filled linearly; leading and trailing gaps carry
 * the nearest value. MSTL needs a full grid.
 */
export function interpolateGaps(values: ArrayLike<number>, maxLength = values.length): Float64Array {
  const from = Math.max(0, values.length - maxLength);
  const out = Float64Array.from(Array.prototype.slice.call(values, from) as number[]);
  let prev = -1;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) continue;
    if (prev === -1) out.fill(out[i] as number, 0, i);
    else for (let k = prev + 1; k < i; k++) out[k] = (out[prev] as number) + (((out[i] as number) - (out[prev] as number)) * (k - prev)) / (i - prev);
    prev = i;
  }
  if (prev >= 0) out.fill(out[prev] as number, prev + 1);
  return out;
}
