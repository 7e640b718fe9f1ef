import type { PublishedForecast } from '../../../src/forecast/published-forecast';
import { FORECAST_QUERY_DEFAULTS, parseForecastQuery } from '../../../src/metric-providers/forecast-query';
import { selectForecastValue } from '../../../src/metric-providers/select-forecast-value';

const series = { horizonSeconds: 3600, quantiles: [0.5, 0.9] };

describe('parseForecastQuery', () => {
  it('defaults to the max p90 over the next 5 minutes', () => {
    expect(parseForecastQuery({}, series, 'labelSelector.')).toEqual({ horizonSeconds: 300, quantile: 0.9, aggregate: 'max' });
    expect(FORECAST_QUERY_DEFAULTS).toEqual({ horizonSeconds: 300, quantile: 0.9, aggregate: 'max' });
  });

  it('caps the default horizon at the series horizon', () => {
    expect(parseForecastQuery({}, { ...series, horizonSeconds: 120 }, '').horizonSeconds).toBe(120);
  });

  it('reads every key', () => {
    expect(parseForecastQuery({ horizon: '15m', quantile: '0.50', aggregate: 'at' }, series, '')).toEqual({ horizonSeconds: 900, quantile: 0.5, aggregate: 'at' });
  });

  it.each([
    [{ horizon: 'soon' }, 'labelSelector.horizon'],
    [{ horizon: '2h' }, 'labelSelector.horizon'],
    [{ horizon: '0.1s' }, 'labelSelector.horizon'], // once rounded to a horizon of 0
    [{ quantile: '0.95' }, 'labelSelector.quantile'],
    [{ aggregate: 'sum' }, 'labelSelector.aggregate'],
    [{ pool: 'gpu' }, 'labelSelector.pool'],
  ])('refuses %p naming %s', (params, field) => {
    expect(() => parseForecastQuery(params, series, 'labelSelector.')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field }));
  });
});

describe('selectForecastValue', () => {
  const forecast = (overrides: Partial<PublishedForecast> = {}): PublishedForecast => ({
    series: 's',
    model: 'seasonal',
    generatedAtMs: 0,
    stepSeconds: 60,
    horizonSeconds: 180,
    lastObserved: { t: 0, v: 7 },
    stale: false,
    points: [
      { t: 60_000, value: 10, quantiles: { '0.5': 10, '0.9': 14 } },
      { t: 120_000, value: 30, quantiles: { '0.5': 30, '0.9': 41 } },
      { t: 180_000, value: 20, quantiles: { '0.5': 20, '0.9': 25 } },
    ],
    ...overrides,
  });

  it('max takes the largest quantile value over the horizon', () => {
    expect(selectForecastValue(forecast(), { horizonSeconds: 180, quantile: 0.9, aggregate: 'max' })).toEqual({ value: 41 });
  });

  it('at takes the quantile value at the horizon', () => {
    expect(selectForecastValue(forecast(), { horizonSeconds: 180, quantile: 0.5, aggregate: 'at' })).toEqual({ value: 20 });
  });

  it('when the series is stale, the value is the forecast floored at the last observation, flagged stale', () => {
    expect(selectForecastValue(forecast({ stale: true }), { horizonSeconds: 180, quantile: 0.9, aggregate: 'max' })).toEqual({ value: 41, fallback: 'stale' });
    expect(selectForecastValue(forecast({ stale: true, lastObserved: { t: 0, v: 50 } }), { horizonSeconds: 180, quantile: 0.9, aggregate: 'max' })).toEqual({ value: 50, fallback: 'stale' });
  });

  it('when no forecast step is in range, the value falls back to the last observation', () => {
    expect(selectForecastValue(forecast({ points: [] }), { horizonSeconds: 180, quantile: 0.9, aggregate: 'at' })).toEqual({ value: 7, fallback: 'no-points' });
  });
});
