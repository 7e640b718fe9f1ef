import { SeasonalNaiveForecaster } from '../../../models/seasonal-naive/seasonal-naive';

const Q = { quantiles: [0.5, 0.9] };

describe('seasonal-naive model', () => {
  it('repeats the last day when the history is longer than a day', async () => {
    // Hourly step: 24 steps a day; day two is day one + 100.
    const values = [...Array.from({ length: 24 }, (_, i) => i), ...Array.from({ length: 24 }, (_, i) => 100 + i)];

    const forecast = (await new SeasonalNaiveForecaster().fit({ startMs: 0, stepSeconds: 3600, values, timezone: 'UTC' })).predict(26, Q);

    expect(forecast.mean.slice(0, 24)).toEqual(values.slice(24));
    expect(forecast.mean.slice(24)).toEqual([100, 101]);
  });

  it('falls back to the last value with less than a day of history', async () => {
    const forecast = (await new SeasonalNaiveForecaster().fit({ startMs: 0, stepSeconds: 3600, values: [3, 4, 9], timezone: 'UTC' })).predict(3, Q);

    expect(forecast.mean).toEqual([9, 9, 9]);
  });

  it('fills a gap in the last day from the same time a day earlier', async () => {
    const values = [...Array.from({ length: 24 }, (_, i) => i), ...Array.from({ length: 24 }, (_, i) => 100 + i)];
    values[24 + 5] = Number.NaN;

    const forecast = (await new SeasonalNaiveForecaster().fit({ startMs: 0, stepSeconds: 3600, values, timezone: 'UTC' })).predict(24, Q);

    expect(forecast.mean[5]).toBe(5);
  });
});
