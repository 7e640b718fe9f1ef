import type { FittedForecaster, RegularSeries } from '../../models/core/forecaster';
import { rollingOrigins, spreadStride } from '../../models/core/rolling-origins';
import { seasonalNaiveScale, stepsPerDay } from '../../models/core/series-stats';
import type { GateScore } from '../model-catalog/model-catalog';
import { ErrorAccumulator } from './error-metrics';

/** Most held-out origins the stride aims for. */
const HELD_OUT_WINDOWS = 24;

/** Origins inside the held-out stretch (the last `holdoutSteps`), at most 24, each a horizon apart or more. */
export function heldOutOrigins(length: number, horizonSteps: number, holdoutSteps: number): number[] {
  // Anchored at the start of the stretch: the first origin is where the candidate's fit ends.
  const strideSteps = spreadStride(holdoutSteps, HELD_OUT_WINDOWS, horizonSteps);
  return rollingOrigins({ length, horizonSteps, strideSteps, minTrainSteps: length - holdoutSteps, anchor: 'start' });
}

/** Cuts the series before `end` (same start, step and timezone). */
export function head(series: RegularSeries, end: number): RegularSeries {
  return { ...series, values: Array.prototype.slice.call(series.values, 0, end) as number[] };
}

/**
 * Scores a model on held-out origins: `at(train)` returns the model ready to forecast after
 * `train` (conditioned or refitted). Errors are scaled by the seasonal-naive error of the
 * data before the held-out stretch, the same for every model compared.
 */
export async function scoreHeldOut(
  series: RegularSeries,
  origins: readonly number[],
  horizonSteps: number,
  quantiles: readonly number[],
  at: (train: RegularSeries) => Promise<FittedForecaster>,
): Promise<GateScore> {
  const first = origins[0] ?? series.values.length;
  const pre = head(series, first).values;
  const day = stepsPerDay(series.stepSeconds);
  const scale = seasonalNaiveScale(pre, pre.length > day ? day : 1);
  const acc = new ErrorAccumulator(quantiles);
  for (const origin of origins) {
    const fitted = await at(head(series, origin));
    const f = fitted.predict(horizonSteps, { quantiles });
    const actual = Array.prototype.slice.call(series.values, origin, origin + horizonSteps) as number[];
    acc.add(actual, f.mean, f.quantiles, scale > 0 ? scale : 1);
  }
  const r = acc.result();
  return { mase: r.mase, coverage: r.coverage };
}
