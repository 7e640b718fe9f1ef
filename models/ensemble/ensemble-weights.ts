/**
 * Combination weights per horizon step from held-out forecasts.
 *
 * Why weights and not a stacked regression: a few dozen held-out windows per series is too
 * little to fit an unconstrained stacker without overfitting. Instead convex weights are
 * searched on a simplex grid for the smallest held-out absolute error over the whole
 * horizon (stacking, constrained to a convex combination), then averaged, per horizon
 * bucket, with weights proportional to each member's inverse squared held-out error in that
 * bucket (the classic robust combination, which lets the LSTM weigh more near the origin
 * and the seasonal profile further out when that is what the errors say).
 * Convex weights keep the forecast inside the members' range, so one bad member can lower
 * accuracy only as much as its weight.
 *
 * Finally the weights are shrunk toward a prior (the member that is best across series, the
 * seasonal model): a few dozen held-out windows from the last days can favour a member by
 * chance, or by a regime that does not last (on the NYC taxi trace, MSTL led the two held-out
 * days and then trailed the seasonal model for the rest of the week). Shrinking estimated
 * combination weights toward fixed ones trades a little fit for much less variance (the
 * "forecast combination puzzle"); measured in docs/training.md.
 */

/** Share of the final weight given to the grid search; the rest to inverse-error weights. */
const SEARCH_SHARE = 0.5;
const GRID_STEP = 0.05;
/** Horizon steps that share one set of weights (neighbouring steps behave alike). */
const MAX_BUCKETS = 3;

/** A member that gets a fixed share of the weight whatever the held-out windows say. */
export interface WeightPrior {
  /** Index of the member in `forecasts`. */
  member: number;
  /** Share of the final weight moved to it, in [0, 1]. */
  share: number;
}

/**
 * @param forecasts per member, per window, per horizon step: the held-out point forecasts.
 * @param actuals per window, per horizon step (NaN = missing).
 * @param scales per window, a scale that makes errors comparable across windows (e.g. the MASE scale).
 * @param prior the member the weights are shrunk toward, if any.
 * @returns per horizon step, one weight per member (summing to 1).
 */
export function combinationWeights(
  forecasts: readonly (readonly (readonly number[])[])[],
  actuals: readonly (readonly number[])[],
  scales: readonly number[],
  prior?: WeightPrior,
): number[][] {
  const members = forecasts.length;
  const horizon = actuals[0]?.length ?? 0;
  const unit = (m: number): number[] => Array.from({ length: members }, (_, k) => (k === m ? 1 : 0));
  // The search uses the whole horizon (the most data per candidate); only the robust
  // inverse-error part varies by horizon bucket.
  const all = flatErrors(forecasts, actuals, scales);
  let searched = { w: unit(0), e: Infinity };
  for (const w of simplexGrid(members, GRID_STEP)) {
    const e = all(w);
    if (e < searched.e) searched = { w, e };
  }
  const buckets = Math.min(MAX_BUCKETS, horizon);
  const perStep: number[][] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * horizon) / buckets);
    const to = Math.floor(((b + 1) * horizon) / buckets);
    const memberErrors = Array.from({ length: members }, (_, m) => bucketError(forecasts, actuals, scales, unit(m), from, to));
    const inverse = normalise(memberErrors.map((e) => (Number.isFinite(e) && e > 0 ? 1 / (e * e) : 0)));
    const estimated = normalise(searched.w.map((w, m) => SEARCH_SHARE * w + (1 - SEARCH_SHARE) * (inverse[m] as number)));
    const weights = prior ? estimated.map((w, m) => (1 - prior.share) * w + (m === prior.member ? prior.share : 0)) : estimated;
    for (let h = from; h < to; h++) perStep.push(weights);
  }
  return perStep;
}

/**
 * Whole-horizon error of a weight vector, over the observed points only, packed once into flat
 * arrays: the simplex search scores ~1,800 vectors per fit, and the selection refits weights on
 * several rolling folds, so this loop is the ensemble's own hot spot.
 */
function flatErrors(
  forecasts: readonly (readonly (readonly number[])[])[],
  actuals: readonly (readonly number[])[],
  scales: readonly number[],
): (w: readonly number[]) => number {
  const members = forecasts.length;
  const points: number[] = [];
  const ys: number[] = [];
  actuals.forEach((row, k) => {
    const scale = scales[k] as number;
    if (!(scale > 0)) return;
    row.forEach((y, h) => {
      if (!Number.isFinite(y)) return;
      ys.push(y / scale);
      for (let m = 0; m < members; m++) points.push((forecasts[m]![k]![h] as number) / scale);
    });
  });
  const x = Float64Array.from(points);
  const y = Float64Array.from(ys);
  return (w) => {
    if (y.length === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0, j = 0; i < y.length; i++) {
      let f = 0;
      for (let m = 0; m < members; m++, j++) f += (w[m] as number) * (x[j] as number);
      sum += Math.abs((y[i] as number) - f);
    }
    return sum / y.length;
  };
}

function bucketError(
  forecasts: readonly (readonly (readonly number[])[])[],
  actuals: readonly (readonly number[])[],
  scales: readonly number[],
  w: readonly number[],
  from: number,
  to: number,
): number {
  let sum = 0;
  let n = 0;
  actuals.forEach((row, k) => {
    const scale = scales[k] as number;
    for (let h = from; h < to; h++) {
      const y = row[h] as number;
      if (!Number.isFinite(y) || !(scale > 0)) continue;
      let f = 0;
      for (let m = 0; m < w.length; m++) f += (w[m] as number) * (forecasts[m]![k]![h] as number);
      sum += Math.abs(y - f) / scale;
      n++;
    }
  });
  return n > 0 ? sum / n : Number.NaN;
}

function normalise(w: readonly number[]): number[] {
  const total = w.reduce((s, v) => s + v, 0);
  return total > 0 ? w.map((v) => v / total) : w.map(() => 1 / w.length);
}

/** All weight vectors on the simplex with the given step (members ≤ 4 keeps this small). */
export function simplexGrid(members: number, step: number): number[][] {
  const units = Math.round(1 / step);
  const out: number[][] = [];
  const rec = (prefix: number[], left: number): void => {
    if (prefix.length === members - 1) {
      out.push([...prefix, left].map((u) => u / units));
      return;
    }
    for (let u = 0; u <= left; u++) rec([...prefix, u], left - u);
  };
  if (members === 1) return [[1]];
  rec([], units);
  return out;
}
