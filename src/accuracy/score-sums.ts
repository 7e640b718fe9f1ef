import { pinballLoss } from '../../models/core/pinball-loss';

/**
 * Sums of the errors of scored forecast points: everything the rolling scores are made
 * from, so aggregates add and never keep a list of errors. Errors are divided by the MASE
 * scale of the history each forecast was made from (the in-sample seasonal-naive MAE, as in
 * `training/backtest.ts`), so MASE and pinball loss read on the backtest's scale.
 */
export interface ScoreSums {
  /** Scored points. */
  count: number;
  /** Σ |actual − mean| / scale. */
  absScaled: number;
  /** Σ |actual − seasonal-naive| / scale, on the same targets and scales. */
  naiveAbsScaled: number;
  /** Per quantile (the series' quantile order), Σ pinball(actual, q forecast) / scale. */
  pinballScaled: number[];
  /** Per quantile, how many actuals were at or below the quantile forecast. */
  below: number[];
}

export function emptySums(quantileCount: number): ScoreSums {
  return { count: 0, absScaled: 0, naiveAbsScaled: 0, pinballScaled: new Array<number>(quantileCount).fill(0), below: new Array<number>(quantileCount).fill(0) };
}

/** One forecast for one target: what is remembered until the actual arrives. */
export interface IssuedPoint {
  /** The model's point forecast (the forecast's `mean`). */
  mean: number;
  /** Per quantile level (the series' order), the forecast. */
  quantiles: readonly number[];
  /** Seasonal-naive's forecast for the same target, from the same history. */
  naive: number;
  /** MASE scale of the history the forecast was made from (> 0). */
  scale: number;
}

/** Adds the score of one point with actual `y` to `into` (mutates it, for the hot loop). */
export function addPoint(into: ScoreSums, levels: readonly number[], point: IssuedPoint, y: number): void {
  into.count++;
  into.absScaled += Math.abs(y - point.mean) / point.scale;
  into.naiveAbsScaled += Math.abs(y - point.naive) / point.scale;
  for (let k = 0; k < levels.length; k++) {
    const f = point.quantiles[k] as number;
    into.pinballScaled[k] = (into.pinballScaled[k] as number) + pinballLoss(y, f, levels[k] as number) / point.scale;
    if (y <= f) into.below[k] = (into.below[k] as number) + 1;
  }
}

/** Numbers per slot of a flat sums array: count, |error|, seasonal-naive |error|, then pinball and below per quantile. */
export function sumsWidth(quantileCount: number): number {
  return 3 + 2 * quantileCount;
}

/** {@link addPoint} into a flat sums array at offset `at` (the layout of {@link sumsWidth}). */
export function addPointAt(data: Float32Array, at: number, levels: readonly number[], point: IssuedPoint, y: number): void {
  const q = levels.length;
  data[at] = (data[at] as number) + 1;
  data[at + 1] = (data[at + 1] as number) + Math.abs(y - point.mean) / point.scale;
  data[at + 2] = (data[at + 2] as number) + Math.abs(y - point.naive) / point.scale;
  for (let k = 0; k < q; k++) {
    const f = point.quantiles[k] as number;
    data[at + 3 + k] = (data[at + 3 + k] as number) + pinballLoss(y, f, levels[k] as number) / point.scale;
    if (y <= f) data[at + 3 + q + k] = (data[at + 3 + q + k] as number) + 1;
  }
}

/** `into += other` (mutates `into`). */
export function addSums(into: ScoreSums, other: ScoreSums): void {
  into.count += other.count;
  into.absScaled += other.absScaled;
  into.naiveAbsScaled += other.naiveAbsScaled;
  for (let k = 0; k < into.below.length; k++) {
    into.pinballScaled[k] = (into.pinballScaled[k] as number) + (other.pinballScaled[k] ?? 0);
    into.below[k] = (into.below[k] as number) + (other.below[k] ?? 0);
  }
}

/** Scores read from sums; every score is null without points. */
export interface AccuracyScores {
  points: number;
  /** Mean absolute scaled error of the forecast. */
  mase: number | null;
  /** MASE of seasonal-naive on the same targets. */
  naiveMase: number | null;
  /** `mase / naiveMase`: above 1, seasonal-naive would have done better. */
  maseRatio: number | null;
  /** Per quantile key (`"0.9"`), the share of actuals at or below the forecast. */
  coverage: Record<string, number | null>;
  /** Per quantile key, the mean scaled pinball loss. */
  pinball: Record<string, number | null>;
}

export function scoresOf(sums: ScoreSums, levels: readonly number[]): AccuracyScores {
  const n = sums.count;
  const coverage: Record<string, number | null> = {};
  const pinball: Record<string, number | null> = {};
  levels.forEach((q, k) => {
    coverage[String(q)] = n > 0 ? (sums.below[k] as number) / n : null;
    pinball[String(q)] = n > 0 ? (sums.pinballScaled[k] as number) / n : null;
  });
  return {
    points: n,
    mase: n > 0 ? sums.absScaled / n : null,
    naiveMase: n > 0 ? sums.naiveAbsScaled / n : null,
    maseRatio: n > 0 ? maseRatio(sums.absScaled, sums.naiveAbsScaled) : null,
    coverage,
    pinball,
  };
}

/** Both perfect is a tie (1); a perfect seasonal-naive against any error is infinitely better. */
function maseRatio(model: number, naive: number): number {
  if (naive > 0) return model / naive;
  return model > 0 ? Number.POSITIVE_INFINITY : 1;
}
