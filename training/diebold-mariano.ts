/**
 * Whether two forecasts differ in accuracy by more than the noise of the windows they were
 * scored on: the Diebold–Mariano statistic (Diebold & Mariano 1995, "Comparing predictive
 * accuracy"), as forecasting papers report it beside a table of errors.
 *
 * Why not a paired t: rolling origins an hour apart are not independent. A level shift or a
 * model that is off for a day spans many neighbouring windows, so their loss differences are
 * positively correlated, and a paired t counts each of them as fresh evidence. The
 * Diebold–Mariano statistic divides the mean difference by its long-run standard error
 * instead: the Newey–West estimate, the variance plus the first `lag` autocovariances with
 * Bartlett weights (1 − j / (lag + 1)), which keeps the estimate non-negative. The ensemble's
 * choice keeps its own paired t (`pairedT`, models/ensemble/ensemble-selection.ts): its bar of
 * a t of 1 is a rule for choosing, not a test; this statistic reports a comparison.
 */

/** Newey & West's (1994) rule of thumb for the number of autocovariances: ⌊4 (n / 100)^(2/9)⌋. */
export function neweyWestLag(n: number): number {
  return n > 0 ? Math.floor(4 * (n / 100) ** (2 / 9)) : 0;
}

/**
 * The statistic for `diffs`, per window the loss of forecast A minus that of forecast B, in
 * time order (pairs with a non-finite loss are left out). Asymptotically standard normal when
 * both are equally accurate: above 1.96, A is worse at the 5% level (two-sided); below −1.96,
 * better. NaN with fewer than two differences; ±Infinity (or 0) when every difference is the same.
 * @param lag autocovariances in the long-run variance (default {@link neweyWestLag}).
 */
export function dieboldMariano(diffs: readonly number[], lag?: number): number {
  const d = diffs.filter((x) => Number.isFinite(x));
  const n = d.length;
  if (n < 2) return Number.NaN;
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const autocovariance = (j: number): number => {
    let s = 0;
    for (let k = j; k < n; k++) s += ((d[k] as number) - mean) * ((d[k - j] as number) - mean);
    return s / n;
  };
  const lags = Math.min(n - 1, Math.max(0, Math.floor(lag ?? neweyWestLag(n))));
  let longRun = autocovariance(0);
  for (let j = 1; j <= lags; j++) longRun += 2 * (1 - j / (lags + 1)) * autocovariance(j);
  if (!(longRun > 0)) return mean > 0 ? Infinity : mean < 0 ? -Infinity : 0;
  return mean / Math.sqrt(longRun / n);
}

/** The statistic of forecast A against forecast B from their losses per window, aligned in time order (`lossesA[k] − lossesB[k]`). */
export function dieboldMarianoOf(lossesA: readonly number[], lossesB: readonly number[], lag?: number): number {
  return dieboldMariano(lossesA.map((a, k) => a - (lossesB[k] ?? Number.NaN)), lag);
}
