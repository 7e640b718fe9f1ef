import type { RegularSeries } from '../../../models/core/forecaster';
import { MODEL_KINDS } from '../../../models/model-kinds';
import { unwrapCalibrated } from '../../../models/core/online-calibrated';
import { regularize } from '../../../src/series/regularize';
import { readTrace } from '../../helpers/trace-file';

/**
 * Online calibration under drift, on a shipped trace (NYC taxi passengers, 30-minute steps):
 * from a chosen day on, the load is 1.6× what it was (a level shift: a new customer, a
 * migration). The seasonal model, fitted before the shift, is conditioned on every new step
 * as serving does, and its served q0.9 is scored one to six steps ahead.
 */
const TRACE = regularize(
  readTrace('nab_nyc_taxi_passengers.csv').map((s) => ({ t: s.t, v: s.v })),
  { stepSeconds: 1800, kind: 'rate', timezone: 'America/New_York' },
);
const DAY = 48;
const HORIZON = 6;
const SHIFT_AT = 60 * DAY;
const DAYS_AFTER = 7;

function shifted(): RegularSeries {
  const values = Array.from(TRACE.values).slice(0, SHIFT_AT + (DAYS_AFTER + 1) * DAY);
  for (let i = SHIFT_AT; i < values.length; i++) values[i] = (values[i] as number) * 1.6;
  return { ...TRACE, values };
}

function upTo(series: RegularSeries, end: number): RegularSeries {
  return { ...series, values: Array.prototype.slice.call(series.values, 0, end) as number[] };
}

/** Per 24 h after the shift, the share of actuals at or below the served q0.9 (all six horizon steps). */
async function dailyCoverage(calibrated: boolean): Promise<number[]> {
  const series = shifted();
  const fitted = await MODEL_KINDS['seasonal']!.create({ horizonSteps: HORIZON }).fit(upTo(series, SHIFT_AT));
  let model = fitted;
  const hits: number[] = [];
  const counts: number[] = [];
  for (let origin = SHIFT_AT; origin + HORIZON <= SHIFT_AT + DAYS_AFTER * DAY; origin++) {
    model = await model.condition(upTo(series, origin));
    const served = calibrated ? model : unwrapCalibrated(model);
    const q90 = served.predict(HORIZON, { quantiles: [0.9] }).quantiles['0.9']!;
    q90.forEach((v, h) => {
      const day = Math.floor((origin + h - SHIFT_AT) / DAY);
      const y = series.values[origin + h] as number;
      if (!Number.isFinite(y)) return;
      hits[day] = (hits[day] ?? 0) + (y <= v ? 1 : 0);
      counts[day] = (counts[day] ?? 0) + 1;
    });
  }
  return counts.map((n, d) => (hits[d] ?? 0) / n);
}

describe('online calibration after a level shift', () => {
  it('keeps q0.9 coverage within 0.85–0.95 in every 24 h window after the shift, where the model’s own intervals do not', async () => {
    const calibrated = await dailyCoverage(true);
    const raw = await dailyCoverage(false);
    process.stdout.write(`coverage per day after the shift: calibrated ${calibrated.map((c) => c.toFixed(3)).join(' ')}; raw ${raw.map((c) => c.toFixed(3)).join(' ')}\n`);

    expect(calibrated).toHaveLength(DAYS_AFTER);
    for (const c of calibrated) {
      expect(c).toBeGreaterThanOrEqual(0.85);
      expect(c).toBeLessThanOrEqual(0.95);
    }
    expect(raw.some((c) => c < 0.85 || c > 0.95)).toBe(true);
  });
});
