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

  it('is conditioned on a few newer samples by reading its forecast further on, and refits past that', async () => {
    const fitted = await new MstlForecaster({ horizonSteps: HORIZON }).fit(head(series, series.values.length - 5));
    const before = fitted.predict(HORIZON, QUANTILES);

    const shifted = (await fitted.condition!(head(series, series.values.length - 2))).predict(HORIZON, QUANTILES);
    const refitted = (await fitted.condition!(series)).predict(HORIZON, QUANTILES);

    expect(shifted.startMs).toBe(before.startMs + 3 * series.stepSeconds * 1000);
    expect(shifted.mean.slice(0, HORIZON - 3)).toEqual(before.mean.slice(3));
    expect(refitted.startMs).toBe(before.startMs + 5 * series.stepSeconds * 1000);
    // 5-minute steps reuse a fit for 3 steps at most; 5 steps later it is a fresh fit.
    expect(refitted.mean.slice(0, HORIZON - 5)).not.toEqual(before.mean.slice(5));
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
