import { naiveReference } from '../../../src/accuracy/naive-reference';
import { SeasonalNaiveForecaster } from '../../../models/seasonal-naive/seasonal-naive';
import { seasonalNaiveScale } from '../../../models/core/series-stats';

describe('naiveReference', () => {
  const stepSeconds = 3600;
  const startMs = Date.UTC(2026, 0, 1);
  // Three days of hourly values with a daily shape and a drift, and a gap.
  const values = Array.from({ length: 72 }, (_, i) => 100 + 10 * Math.sin((2 * Math.PI * i) / 24) + i);
  values[60] = Number.NaN;
  const series = { startMs, stepSeconds, values, timezone: 'UTC' };

  it("forecasts every later step exactly as the fitted seasonal-naive model does, and its scale is the backtest's", async () => {
    const ref = naiveReference(series);
    const forecast = (await new SeasonalNaiveForecaster().fit(series)).predict(48, { quantiles: [0.5] });
    forecast.mean.forEach((m, h) => expect(ref.forecastAt(forecast.startMs + h * stepSeconds * 1000)).toBeCloseTo(m, 12));
    expect(ref.scale).toBe(seasonalNaiveScale(values, 24));
  });
});
