/**
 * MSTL on block means: for steps finer than a few minutes, MSTL is fitted on the means of
 * consecutive blocks of steps and its forecast is read back at the series' own step. A fit
 * costs about linearly in the values it is handed (124 ms for a week of 1-minute values, 239 ms
 * for two weeks), and a seasonal shape or a trend holds nothing at one minute that five do not.
 * Pure arithmetic, no I/O.
 */

/**
 * Steps per block for a series of `stepSeconds` and `day` steps a day: the most steps that fit
 * in `blockSeconds` and divide a day (so a daily season is a whole number of blocks); 1 when
 * the step is already that coarse.
 */
export function blockSteps(stepSeconds: number, day: number, blockSeconds: number): number {
  for (let b = Math.floor(blockSeconds / stepSeconds); b > 1; b--) if (day % b === 0) return b;
  return 1;
}

/** Means of consecutive blocks of `block` values, aligned so the last block ends at the last value (a partial first block is dropped). */
export function blockMeans(values: ArrayLike<number>, block: number): Float64Array {
  const count = Math.floor(values.length / block);
  const from = values.length - count * block;
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let s = 0;
    for (let i = 0; i < block; i++) s += values[from + k * block + i] as number;
    out[k] = s / block;
  }
  return out;
}

/**
 * Standard deviation of the values around their block's mean over the newest `lastBlocks`
 * blocks: the spread a forecast of block means does not carry, added back to its error.
 */
export function withinBlockSd(values: ArrayLike<number>, means: ArrayLike<number>, block: number, lastBlocks: number): number {
  const count = means.length;
  const from = values.length - count * block;
  const first = Math.max(0, count - lastBlocks);
  let ss = 0;
  let n = 0;
  for (let k = first; k < count; k++) {
    for (let i = 0; i < block; i++) {
      const d = (values[from + k * block + i] as number) - (means[k] as number);
      ss += d * d;
      n++;
    }
  }
  return n > 0 ? Math.sqrt(ss / n) : 0;
}

/**
 * `steps` values at the series' step from a forecast of block means: linear between block
 * centres, starting from the last observed block's mean at its centre, so the first steps
 * move from where the series is toward the first forecast block rather than jumping to it.
 */
export function expandBlocks(forecast: ArrayLike<number>, lastMean: number, block: number, steps: number): number[] {
  const out: number[] = [];
  const centre = (block - 1) / 2;
  for (let j = 1; j <= steps; j++) {
    // Position of step j in block units, where the last observed block's centre is -1 and forecast block k's is k.
    const x = (j - 1 - centre) / block;
    const k = Math.floor(x);
    const w = x - k;
    const at = (i: number): number => (i < 0 ? lastMean : (forecast[Math.min(i, forecast.length - 1)] as number));
    out.push((1 - w) * at(k) + w * at(k + 1));
  }
  return out;
}
