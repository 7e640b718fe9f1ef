import type { RegularSeries } from './forecaster';

/** Count of non-missing values. */
export function observedCount(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  return n;
}

/** Steps in one day on this step (at least 1). */
export function stepsPerDay(stepSeconds: number): number {
  return Math.max(1, Math.round(86_400 / stepSeconds));
}

/** Index of the last non-missing value, or -1. */
export function lastObservedIndex(values: ArrayLike<number>): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return i;
  return -1;
}

/** Epoch ms of the step after the last value of the series: where a forecast starts. */
export function forecastStartMs(series: RegularSeries): number {
  return series.startMs + series.values.length * series.stepSeconds * 1000;
}

/** Mean absolute error of the in-sample seasonal-naive forecast with period `m` (the MASE scale). */
export function seasonalNaiveScale(train: ArrayLike<number>, m: number): number {
  let sum = 0;
  let n = 0;
  for (let i = m; i < train.length; i++) {
    const d = Math.abs((train[i] as number) - (train[i - m] as number));
    if (Number.isFinite(d)) {
      sum += d;
      n++;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}
