import type { RegularSeries } from '../../models/core/forecaster';
import { seasonalNaiveScale, stepsPerDay } from '../../models/core/series-stats';

/** Seasonal-naive's view of one history: its forecast for any later step, and the MASE scale. */
export interface NaiveReference {
  /** The in-sample seasonal-naive MAE (the MASE scale of `training/backtest.ts`); NaN or 0 when it cannot scale. */
  scale: number;
  /** Seasonal-naive's forecast for the step at `tMs` (after the history). */
  forecastAt(tMs: number): number;
}

/**
 * What `models/seasonal-naive` would forecast from this history, without fitting it: the value
 * one day (whole days) before the target, walking back further days over missing steps, then
 * the newest observed value. With less than a day of history the period is one step (naive),
 * as the model and the backtest scale do. Computed per target, so a refresh costs O(history)
 * once for the scale and O(1) per remembered point.
 */
export function naiveReference(series: RegularSeries): NaiveReference {
  const values = series.values;
  const day = stepsPerDay(series.stepSeconds);
  const period = values.length > day ? day : 1;
  const stepMs = series.stepSeconds * 1000;
  let newest = Number.NaN;
  for (let i = values.length - 1; i >= 0 && !Number.isFinite(newest); i--) newest = values[i] as number;
  return {
    scale: seasonalNaiveScale(values, period),
    forecastAt(tMs: number): number {
      const ahead = Math.round((tMs - series.startMs) / stepMs) - (values.length - 1);
      // The first index of the same phase at or before the newest step.
      let i = values.length - 1 + ahead - Math.ceil(ahead / period) * period;
      for (; i >= 0; i -= period) {
        const v = values[i] as number;
        if (Number.isFinite(v)) return v;
      }
      return newest;
    },
  };
}
