import { modelKind } from '../../../models/model-kinds';
import { MstlForecaster } from '../../../models/mstl/mstl';
import { dailyPeriodicSeries, head } from '../../helpers/series-fixtures';

const QUANTILES = { quantiles: [0.1, 0.5, 0.9] };
const HORIZON = 12;

describe('MstlForecaster (augurs MSTL as a model kind)', () => {
  const series = dailyPeriodicSeries({ days: 6, weekly: false, noise: 0.02 });

  it('follows a clean daily cycle one horizon ahead', async () => {
    const train = head(series, series.values.length - HORIZON);
    const actual = Array.from(series.values).slice(-HORIZON);

    const forecast = (await new MstlForecaster({ horizonSteps: HORIZON }).fit(train)).predict(HORIZON, QUANTILES);

    const mape = forecast.mean.reduce((s, f, i) => s + Math.abs(f - actual[i]!) / actual[i]!, 0) / HORIZON;
    expect(mape).toBeLessThan(0.08);
  });

  it('reads quantiles off a Gaussian interval: symmetric around the point and widening with z', async () => {
    const forecast = (await new MstlForecaster({ horizonSteps: HORIZON }).fit(series)).predict(HORIZON, { quantiles: [0.05, 0.5, 0.9, 0.95] });

    for (let h = 0; h < HORIZON; h++) {
      const up90 = forecast.quantiles['0.9']![h]! - forecast.mean[h]!;
      const up95 = forecast.quantiles['0.95']![h]! - forecast.mean[h]!;
      const down95 = forecast.mean[h]! - forecast.quantiles['0.05']![h]!;
      expect(up90).toBeGreaterThan(0);
      expect(up95 / up90).toBeCloseTo(1.6449 / 1.2816, 3);
      expect(down95).toBeCloseTo(up95, 6);
      expect(forecast.quantiles['0.5']![h]).toBeCloseTo(forecast.mean[h]!, 9);
    }
  });

  it('never forecasts below zero for a series that never went below zero', async () => {
    // A load that drops to zero every night: a Gaussian interval would reach below it.
    const values = Array.from(series.values, (v, i) => ((i % 288) < 100 ? 0 : v));
    const forecast = (await new MstlForecaster({ horizonSteps: 120 }).fit({ ...series, values })).predict(120, QUANTILES);

    expect(Math.min(...forecast.mean, ...forecast.quantiles['0.1']!)).toBeGreaterThanOrEqual(0);
  });

  it('is conditioned on a few newer samples by reading its forecast further on, level-corrected by its errors, and refits past that', async () => {
    const n = series.values.length;
    const fitted = await new MstlForecaster({ horizonSteps: HORIZON }).fit(head(series, n - 14));
    const before = fitted.predict(HORIZON, QUANTILES);

    const shifted = (await fitted.condition!(head(series, n - 11))).predict(HORIZON, QUANTILES);
    const refitted = (await fitted.condition!(series)).predict(HORIZON, QUANTILES);

    expect(shifted.startMs).toBe(before.startMs + 3 * series.stepSeconds * 1000);
    // The weighted mean of the stored forecast's errors on the three new samples (weight 0.3 each).
    let correction = 0;
    for (let i = 0; i < 3; i++) correction += 0.3 * ((series.values[n - 14 + i] as number) - (before.mean[i] as number) - correction);
    shifted.mean.slice(0, HORIZON - 3).forEach((m, i) => expect(m).toBeCloseTo((before.mean[i + 3] as number) + correction, 9));
    expect(Math.abs(correction)).toBeGreaterThan(0);
    expect(refitted.startMs).toBe(before.startMs + 14 * series.stepSeconds * 1000);
    // 5-minute steps reuse a fit for an hour (12 steps) at most; 14 steps later it is a fresh fit.
    expect(refitted).toEqual((await new MstlForecaster({ horizonSteps: HORIZON }).fit(series)).predict(HORIZON, QUANTILES));
  });

  it('follows a level shift between refits: the corrected forecast moves toward the new level', async () => {
    const n = series.values.length;
    const fitted = await new MstlForecaster({ horizonSteps: HORIZON }).fit(head(series, n - 12));
    const stored = fitted.predict(HORIZON, QUANTILES).mean;
    // The last 10 samples 50 % above what the fit saw coming.
    const values = Array.from(series.values).slice(0, n - 2);
    for (let i = n - 12; i < n - 2; i++) values[i] = (values[i] as number) * 1.5;

    const moved = (await fitted.condition!({ ...series, values })).predict(2, QUANTILES).mean;

    for (let h = 0; h < 2; h++) {
      const truth = (series.values[n - 2 + h] as number) * 1.5;
      expect(Math.abs(moved[h]! - truth)).toBeLessThan(0.25 * Math.abs((stored[10 + h] as number) - truth));
    }
  });

  it('round-trips through its artifact', async () => {
    const fitted = await new MstlForecaster({ horizonSteps: HORIZON }).fit(series);

    const artifact = JSON.parse(JSON.stringify(fitted.toArtifact()));
    const rebuilt = modelKind('mstl').fromArtifact(artifact);

    expect(rebuilt.predict(HORIZON, QUANTILES)).toEqual(fitted.predict(HORIZON, QUANTILES));
  });

  it('forecasts past the horizon it was fitted for by continuing its last season', async () => {
    const fitted = await new MstlForecaster({ horizonSteps: HORIZON }).fit(series);
    const day = 86_400 / series.stepSeconds;

    const far = fitted.predict(3 * day, QUANTILES);

    expect(far.mean).toHaveLength(3 * day);
    expect(far.mean.slice(0, HORIZON)).toEqual(fitted.predict(HORIZON, QUANTILES).mean);
    // The third day repeats the second: the season continues, it does not flatten.
    expect(far.mean.slice(2 * day)).toEqual(far.mean.slice(day, 2 * day));
    expect(Math.max(...far.mean.slice(2 * day)) - Math.min(...far.mean.slice(2 * day))).toBeGreaterThan(0.2 * Math.max(...far.mean));
    for (const key of Object.keys(far.quantiles)) expect(far.quantiles[key]!.every(Number.isFinite)).toBe(true);
  });
});
