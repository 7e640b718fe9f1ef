import type { RegularSeries } from '../../models/core/forecaster';
import { regularize } from '../../src/series/regularize';
import { readTrace } from './trace-file';

/**
 * A level shift on a shipped trace (NYC taxi passengers, 30-minute steps): from day 60 on the
 * load is 1.6× what it was (a new customer, a migration), for `daysAfter` days and one more
 * day of look-ahead. Used by the calibration tests of the model, serving and the replay.
 */
export const SHIFT_DAY_STEPS = 48;
export const SHIFT_AT = 60 * SHIFT_DAY_STEPS;

export function levelShiftTrace(daysAfter: number): RegularSeries {
  const trace = regularize(
    readTrace('nab_nyc_taxi_passengers.csv').map((s) => ({ t: s.t, v: s.v })),
    { stepSeconds: 1800, kind: 'rate', timezone: 'America/New_York' },
  );
  const values = Array.from(trace.values).slice(0, SHIFT_AT + (daysAfter + 1) * SHIFT_DAY_STEPS);
  for (let i = SHIFT_AT; i < values.length; i++) values[i] = (values[i] as number) * 1.6;
  return { ...trace, values };
}

export function upTo(series: RegularSeries, end: number): RegularSeries {
  return { ...series, values: Array.prototype.slice.call(series.values, 0, end) as number[] };
}

/** Scores served q0.9 forecasts per 24 h after the shift: the share of actuals at or below them. */
export class DailyCoverage {
  private readonly hits: number[] = [];
  private readonly counts: number[] = [];
  constructor(private readonly series: RegularSeries) {}

  /** The q0.9 values served at `origin` (index of their first step). */
  add(origin: number, q90: readonly number[]): void {
    q90.forEach((v, h) => {
      const day = Math.floor((origin + h - SHIFT_AT) / SHIFT_DAY_STEPS);
      const y = this.series.values[origin + h] as number;
      if (!Number.isFinite(y)) return;
      this.hits[day] = (this.hits[day] ?? 0) + (y <= v ? 1 : 0);
      this.counts[day] = (this.counts[day] ?? 0) + 1;
    });
  }

  perDay(): number[] {
    return this.counts.map((n, d) => (this.hits[d] ?? 0) / n);
  }
}
