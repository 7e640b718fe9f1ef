import { combine, meanAbs } from './ensemble-holdout';
import { type WeightPrior, combinationWeights } from './ensemble-weights';

/** What the ensemble serves: its combination, or one member alone (by index). */
export type EnsembleChoice = { kind: 'combination' } | { kind: 'member'; member: number };

export interface EnsembleSelection {
  choice: EnsembleChoice;
  /** Per horizon step, one weight per member (one-hot when a member is chosen). */
  weights: number[][];
  /** Mean absolute error on the later half of the windows: the combination weighted on the earlier half, and the member best there. */
  nested: { combination: number; member: number };
}

/**
 * Chooses between the combination and the best single member on a nested split of the
 * held-out windows (oldest first): weights are fitted on the earlier half, and the member
 * that was best there is picked; both then forecast the later half, which neither has seen.
 * The combination serves only when it is at least as good there; its weights are then refitted
 * on every window. Otherwise the member serves alone, picked again on every window. Held-out
 * weights fitted on a few dozen windows swing between refits; this keeps a swing from making
 * the ensemble worse than the member it would otherwise have served (issue 15, item 6).
 * With fewer than four windows there is nothing to nest, and the combination serves.
 * @param forecasts per member, per window, per horizon step.
 * @param actuals per window, per horizon step (NaN = missing).
 */
export function selectCombination(
  forecasts: readonly (readonly (readonly number[])[])[],
  actuals: readonly (readonly number[])[],
  prior?: WeightPrior,
): EnsembleSelection {
  const windows = actuals.length;
  const ones = (n: number): number[] => Array.from({ length: n }, () => 1);
  const all = combinationWeights(forecasts, actuals, ones(windows), prior);
  if (windows < 4 || forecasts.length < 2) return { choice: { kind: 'combination' }, weights: all, nested: { combination: Number.NaN, member: Number.NaN } };
  const half = Math.floor(windows / 2);
  const early = (rows: readonly (readonly number[])[]): (readonly number[])[] => rows.slice(0, half);
  const late = (rows: readonly (readonly number[])[]): (readonly number[])[] => rows.slice(half);
  const earlyWeights = combinationWeights(forecasts.map(early), early(actuals), ones(half), prior);
  const combined = late(actuals).map((_, k) => combine(forecasts.map((f) => f[half + k]!), earlyWeights));
  const combination = meanAbs(combined, late(actuals));
  const bestEarly = bestMember(forecasts.map(early), early(actuals));
  const member = meanAbs(late(forecasts[bestEarly]!), late(actuals));
  if (!(member < combination)) return { choice: { kind: 'combination' }, weights: all, nested: { combination, member } };
  const best = bestMember(forecasts, actuals);
  const oneHot = forecasts.map((_, m) => (m === best ? 1 : 0));
  return { choice: { kind: 'member', member: best }, weights: all.map(() => oneHot), nested: { combination, member } };
}

/** Index of the member with the lowest mean absolute error (the first on ties; NaN scores lose). */
function bestMember(forecasts: readonly (readonly (readonly number[])[])[], actuals: readonly (readonly number[])[]): number {
  let best = 0;
  let bestError = Infinity;
  forecasts.forEach((f, m) => {
    const e = meanAbs(f, actuals);
    if (e < bestError) {
      best = m;
      bestError = e;
    }
  });
  return best;
}
