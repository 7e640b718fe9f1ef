import { errorGrid, gridQuantile } from './quantile-grid';

/**
 * Split-conformal calibration per horizon step. Held-out residuals (actual − forecast, in
 * the model's transformed space) give each step h a scale s_h (mean absolute residual,
 * never shrinking with h: the future cannot get easier to predict), and residuals divided
 * by their step's scale are pooled into one empirical distribution. A quantile at step h is
 * s_h × the pooled quantile. Pooling lets a few dozen held-out windows calibrate every step
 * of a 60-step horizon, while the per-step scale keeps intervals widening with the horizon.
 */
export interface HorizonCalibration {
  /** Scale per horizon step (index 0 = one step ahead). */
  scales: number[];
  /** Pooled standardized residual quantiles on the shared grid. */
  grid: number[];
  /** Held-out residuals it was made from. */
  count: number;
}

/**
 * @param residuals per horizon step, the held-out residuals at that step (NaNs ignored).
 * @param floor smallest scale, so a perfectly fitted holdout does not give zero-width intervals.
 */
export function calibrateHorizons(residuals: readonly (readonly number[])[], floor = 1e-6): HorizonCalibration {
  const scales: number[] = [];
  let prev = floor;
  for (const r of residuals) {
    const finite = r.filter(Number.isFinite);
    const mad = finite.length > 0 ? finite.reduce((s, e) => s + Math.abs(e), 0) / finite.length : prev;
    prev = Math.max(prev, mad, floor);
    scales.push(prev);
  }
  const pooled: number[] = [];
  residuals.forEach((r, h) => {
    for (const e of r) if (Number.isFinite(e)) pooled.push(e / (scales[h] as number));
  });
  return { scales, grid: conformalGrid(pooled), count: pooled.length };
}

/** The offset to add to the point forecast (transformed space) for quantile `level` at step `h` (1-based). */
export function calibratedOffset(cal: HorizonCalibration, h: number, level: number): number {
  const idx = Math.min(h, cal.scales.length) - 1;
  return (cal.scales[Math.max(0, idx)] ?? 0) * gridQuantile(cal.grid, level);
}

/**
 * The grid of pooled standardized residuals, with the split-conformal finite-sample
 * correction: level q reads the ⌈(n+1)q⌉/n empirical quantile, so tails widen a little
 * when there are few residuals instead of under-covering.
 */
function conformalGrid(pooled: number[]): number[] {
  const n = pooled.length;
  if (n === 0) return errorGrid([]);
  const raw = errorGrid(pooled);
  const sorted = Float64Array.from(pooled).sort();
  return raw.map((v, i) => {
    const q = (i + 1) / 100;
    if (q <= 0.5) {
      const k = Math.floor((n + 1) * q) - 1;
      return k < 0 ? (sorted[0] as number) : Math.min(v, sorted[k] as number);
    }
    const k = Math.ceil((n + 1) * q) - 1;
    return k >= n ? (sorted[n - 1] as number) : Math.max(v, sorted[k] as number);
  });
}
