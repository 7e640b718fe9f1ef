import type { PublishedForecast } from '../../../src/forecast/published-forecast';
import { fallBackToReactive } from '../../../src/forecast/trust-fallback';
import { selectForecastValue } from '../../../src/metric-providers/select-forecast-value';

describe('fallBackToReactive', () => {
  const published: PublishedForecast = {
    series: 'api-rps',
    model: 'seasonal',
    generatedAtMs: 1000,
    stepSeconds: 60,
    horizonSeconds: 180,
    lastObserved: { t: 0, v: 40 },
    stale: false,
    fallbackReason: 'the last forecast ends before the horizon; later steps are the last observation',
    points: [60_000, 120_000, 180_000].map((t, i) => ({ t, value: 30 + 20 * i, quantiles: { '0.5': 30 + 20 * i, '0.9': 45 + 20 * i } })),
  };
  const gate = { reason: 'coverage' as const, detail: 'trust gate: q0.9 covered 0.4 of actuals over 24h', sinceMs: 500 };

  it('while the trust gate holds, every point and quantile is the last observation on the same grid, and the view says why', () => {
    const out = fallBackToReactive(published, { t: 30_000, v: 51 }, gate);
    expect(out.points).toEqual([60_000, 120_000, 180_000].map((t) => ({ t, value: 51, quantiles: { '0.5': 51, '0.9': 51 } })));
    expect(out.trustFallback).toEqual(gate);
    expect(out.fallbackReason).toBe(`${published.fallbackReason}; ${gate.detail}`);
    expect(out.stale).toBe(false);
    expect(published.points[2]!.value).toBe(70); // input untouched
  });

  it('publishes the reactive demand when it is above the last observation (a peak inside the window), never below the last observation', () => {
    const out = fallBackToReactive(published, { t: 30_000, v: 51 }, gate, 64);
    expect(out.points).toEqual([60_000, 120_000, 180_000].map((t) => ({ t, value: 64, quantiles: { '0.5': 64, '0.9': 64 } })));
    expect(out.lastObserved).toEqual({ t: 30_000, v: 51 });
    expect(selectForecastValue(out, { horizonSeconds: 180, quantile: 0.9, aggregate: 'max' })).toEqual({ value: 64, fallback: 'trust-gate' });
    expect(fallBackToReactive(published, { t: 30_000, v: 51 }, gate, 12).points.every((p) => p.value === 51)).toBe(true);
  });

  it('the metric value is the last observation, flagged trust-gate (stale still wins the flag)', () => {
    const out = fallBackToReactive(published, { t: 30_000, v: 51 }, gate);
    expect(selectForecastValue(out, { horizonSeconds: 180, quantile: 0.9, aggregate: 'max' })).toEqual({ value: 51, fallback: 'trust-gate' });
    expect(selectForecastValue({ ...out, stale: true }, { horizonSeconds: 180, quantile: 0.9, aggregate: 'max' }).fallback).toBe('stale');
  });
});
