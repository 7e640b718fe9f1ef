import { type RegularSeries } from '../../../models/core/forecaster';
import { FittedSeasonal, SeasonalForecaster, type SeasonalStage } from '../../../models/seasonal/seasonal';
import { SeasonalNaiveForecaster } from '../../../models/seasonal-naive/seasonal-naive';
import { backtest } from '../../../training/backtest';
import { dailyPeriodicSeries, head } from '../../helpers/series-fixtures';

const Q = { quantiles: [0.5, 0.9] };
const STEPS_PER_DAY_5M = 288;

describe('seasonal model', () => {
  const tenDays = dailyPeriodicSeries({ days: 10 });

  it.each<[string, number, SeasonalStage]>([
    ['40 steps (3h20m)', 40, 'last-value'],
    ['one day', STEPS_PER_DAY_5M, 'trend'],
    ['two days', 2 * STEPS_PER_DAY_5M, 'daily'],
    ['seven days', 7 * STEPS_PER_DAY_5M, 'daily'],
    ['nine days', 9 * STEPS_PER_DAY_5M, 'weekly'],
  ])('degrades gracefully: with %s of history (%i steps) it fits the %s stage', async (_label, count, stage) => {
    const fitted = (await new SeasonalForecaster({ horizonSteps: 12 }).fit(head(tenDays, count))) as FittedSeasonal;

    expect(fitted.stage).toBe(stage);
    const forecast = fitted.predict(12, Q);
    expect(forecast.mean.every(Number.isFinite)).toBe(true);
  });

  it('gives a series with one day of data a finite, positive forecast with intervals', async () => {
    const oneDay = head(tenDays, STEPS_PER_DAY_5M);

    const forecast = (await new SeasonalForecaster({ horizonSteps: 12 }).fit(oneDay)).predict(12, Q);

    expect(forecast.mean).toHaveLength(12);
    for (let h = 0; h < 12; h++) {
      expect(forecast.mean[h]).toBeGreaterThan(0);
      expect(forecast.quantiles['0.9']![h]).toBeGreaterThanOrEqual(forecast.quantiles['0.5']![h]!);
    }
  });

  it('leaves out the weekly cycle when the series config allows only daily', async () => {
    const fitted = (await new SeasonalForecaster({ horizonSteps: 12 }).fit(tenDays, { seasonalities: ['daily'] })) as FittedSeasonal;

    expect(fitted.stage).toBe('daily');
  });

  it('handles gaps: a series with missing steps (NaN) still forecasts finite values close to the gap-free one', async () => {
    const values = Array.from(tenDays.values);
    // A missing hour every day and the whole last-but-one hour.
    for (let i = 0; i < values.length; i++) if (i % STEPS_PER_DAY_5M < 12 || (i > values.length - 24 && i < values.length - 12)) values[i] = Number.NaN;
    const gappy: RegularSeries = { ...tenDays, values };

    const withGaps = (await new SeasonalForecaster({ horizonSteps: 12 }).fit(gappy)).predict(12, Q);
    const clean = (await new SeasonalForecaster({ horizonSteps: 12 }).fit(tenDays)).predict(12, Q);

    for (let h = 0; h < 12; h++) {
      expect(Number.isFinite(withGaps.mean[h])).toBe(true);
      expect(Math.abs(withGaps.mean[h]! - clean.mean[h]!)).toBeLessThan(0.25 * clean.mean[h]!);
    }
  });

  it('forecasts a series that ends in a gap from its last observed value onwards', async () => {
    const values = Array.from(head(tenDays, 2 * STEPS_PER_DAY_5M).values);
    for (let i = values.length - 6; i < values.length; i++) values[i] = Number.NaN;

    const forecast = (await new SeasonalForecaster({ horizonSteps: 12 }).fit({ ...tenDays, values })).predict(12, Q);

    expect(forecast.mean.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  });

  it('keeps negative series on their own scale (no log transform)', async () => {
    const shifted: RegularSeries = { ...tenDays, values: Array.from(tenDays.values, (v) => v - 100) };

    const forecast = (await new SeasonalForecaster({ horizonSteps: 12 }).fit(shifted)).predict(12, Q);

    expect(forecast.mean.some((v) => v < 0)).toBe(true);
  });

  it('beats seasonal-naive on a noisy daily-periodic series', async () => {
    const series = dailyPeriodicSeries({ days: 9, noise: 0.3, weekly: false, seed: 3 });

    const result = await backtest(series, [new SeasonalNaiveForecaster(), new SeasonalForecaster({ horizonSteps: 12 })], { horizonSteps: 12, windows: 6 });

    const [naive, seasonal] = result.models;
    expect(seasonal!.mase).toBeLessThan(naive!.mase);
  });
});
