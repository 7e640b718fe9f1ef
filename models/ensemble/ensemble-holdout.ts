/** The ensemble's held-out stretch: where its origins lie, the members' forecasts there, and the arithmetic on them. */
import { moveToNewer } from '../core/conditioning';
import { type FitOptions, type Forecaster, type FittedForecaster, type RegularSeries, InsufficientHistoryError } from '../core/forecaster';
import { rollingOrigins, spreadStride } from '../core/rolling-origins';
import { type TransformKind, forward } from '../seasonal/transform';

/** Origins of the held-out forecasts: spread over the last two days, or `spanSteps` (at most a quarter of the series), newest last. */
export function holdoutOrigins(n: number, horizon: number, windows: number, day: number, spanSteps = 2 * day): number[] {
  const span = Math.min(spanSteps, Math.floor(n / 4));
  return rollingOrigins({ length: n, horizonSteps: horizon, strideSteps: spreadStride(span, windows), count: windows });
}

/** Forecasts of one member at every held-out origin, or null when it cannot fit. */
export async function holdoutRun(
  forecaster: Forecaster,
  series: RegularSeries,
  origins: readonly number[],
  H: number,
  fitOptions: FitOptions,
): Promise<{ last: FittedForecaster; forecasts: number[][] } | null> {
  const forecasts: number[][] = [];
  let last: FittedForecaster | null = null;
  try {
    for (const origin of origins) {
      const train: RegularSeries = { ...series, values: Array.prototype.slice.call(series.values, 0, origin) as number[] };
      last = last === null ? await forecaster.fit(train, fitOptions) : await moveToNewer({ forecaster, fitted: last, series: train, fitOptions });
      forecasts.push(last.predict(H, { quantiles: [0.5] }).mean);
    }
  } catch (err) {
    if (err instanceof InsufficientHistoryError) return null;
    throw err;
  }
  return last ? { last, forecasts } : null;
}

export function combine(rows: readonly (readonly number[])[], weights: readonly number[][]): number[] {
  const H = rows[0]?.length ?? 0;
  return Array.from({ length: H }, (_, h) => {
    const w = weights[Math.min(h, weights.length - 1)] as number[];
    return rows.reduce((s, row, m) => s + (w[m] as number) * (row[h] as number), 0);
  });
}

/** One value through the transform. */
export function forwardOne(kind: TransformKind, v: number): number {
  return forward(kind, [v])[0] as number;
}

export function meanAbs(forecasts: readonly (readonly number[])[], actuals: readonly (readonly number[])[]): number {
  let s = 0;
  let n = 0;
  actuals.forEach((row, k) =>
    row.forEach((y, h) => {
      const e = Math.abs(y - (forecasts[k]![h] as number));
      if (Number.isFinite(e)) {
        s += e;
        n++;
      }
    }),
  );
  return n > 0 ? s / n : Number.NaN;
}
