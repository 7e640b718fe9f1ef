import type { CachedForecast } from '../../../src/forecast/cached-forecast';
import { BEYOND_FORECAST_REASON, NO_FORECAST_REASON, coversWindow, lastObservationOnly, publishForecast } from '../../../src/forecast/published-forecast';

const T0 = Date.UTC(2026, 10, 26, 10);
const cached: CachedForecast = {
  series: 'api-rps',
  generatedAtMs: T0,
  lastObserved: { t: T0 - 60_000, v: 3 },
  forecast: {
    startMs: T0,
    stepSeconds: 60,
    mean: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    quantiles: { '0.5': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], '0.9': [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], '0.99': Array(10).fill(99) },
    model: 'seasonal',
  },
};
const series = { step: 60, quantiles: [0.5, 0.9] };
const last = { t: T0 + 60_000, v: 7 };

describe('published forecast window', () => {
  it('serves the steps from the current step to now + horizon', () => {
    const view = publishForecast(cached, series, { nowMs: T0 + 150_000, horizonSeconds: 180, stale: false, last });

    // now is inside step 2 (T0+120s); the window ends at T0+330s, so step 5 is the last.
    expect(view.points.map((p) => p.t)).toEqual([2, 3, 4, 5].map((i) => T0 + i * 60_000));
    expect(view.points[0]).toEqual({ t: T0 + 120_000, value: 2, quantiles: { '0.5': 2, '0.9': 12 } });
  });

  it('serves only the configured quantiles, keyed "0.5" and "0.9"', () => {
    const view = publishForecast(cached, series, { nowMs: T0, horizonSeconds: 60, stale: false, last });

    for (const p of view.points) expect(Object.keys(p.quantiles)).toEqual(['0.5', '0.9']);
  });

  it('carries the model, generation time, last observation and staleness', () => {
    const view = publishForecast({ ...cached, fallbackReason: 'short history' }, series, { nowMs: T0, horizonSeconds: 60, stale: true, last });

    expect(view).toMatchObject({
      series: 'api-rps',
      model: 'seasonal',
      generatedAtMs: T0,
      lastObserved: { t: T0 - 60_000, v: 3 },
      stale: true,
      stepSeconds: 60,
      horizonSeconds: 60,
      fallbackReason: 'short history',
    });
  });

  it('once the cached forecast lies entirely in the past, serves flat points at the last observation, never none', () => {
    const view = publishForecast(cached, series, { nowMs: T0 + 3_600_000, horizonSeconds: 600, stale: true, last });

    expect(view.points).toEqual(Array.from({ length: 11 }, (_, i) => ({ t: T0 + 3_600_000 + i * 60_000, value: 7, quantiles: { '0.5': 7, '0.9': 7 } })));
    expect(view.fallbackReason).toBe(BEYOND_FORECAST_REASON);
  });

  it('serves the forecast where it reaches, and the last observation for the steps past its end', () => {
    const view = publishForecast(cached, series, { nowMs: T0 + 8 * 60_000, horizonSeconds: 180, stale: false, last });

    expect(view.points.map((p) => p.value)).toEqual([8, 9, 7, 7]);
    expect(view.points[3]).toEqual({ t: T0 + 11 * 60_000, value: 7, quantiles: { '0.5': 7, '0.9': 7 } });
  });

  it('without any forecast, serves every step as the last observation and says why', () => {
    const view = publishForecast(lastObservationOnly('api-rps', last, { stepSeconds: 60, nowMs: T0 }), series, { nowMs: T0 + 90_000, horizonSeconds: 120, stale: false, last });

    expect(view).toMatchObject({ model: 'last-observation', fallbackReason: NO_FORECAST_REASON, lastObserved: last });
    expect(view.points).toEqual([1, 2, 3].map((i) => ({ t: T0 + i * 60_000, value: 7, quantiles: { '0.5': 7, '0.9': 7 } })));
  });

  it.each([
    ['covers the whole window', T0, 540, true],
    ['ends one step short', T0, 600, false],
    ['starts after now', T0 - 60_000, 60, false],
  ])('coversWindow: a forecast that %s', (_label, nowMs, horizonSeconds, expected) => {
    expect(coversWindow(cached.forecast, { nowMs, stepSeconds: 60, horizonSeconds })).toBe(expected);
  });
});
