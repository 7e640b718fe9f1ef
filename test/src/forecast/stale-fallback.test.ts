import { type PublishedForecast } from '../../../src/forecast/published-forecast';
import { STALE_FALLBACK_REASON, fallBackToLastObservation } from '../../../src/forecast/stale-fallback';

describe('fallBackToLastObservation', () => {
  const published: PublishedForecast = {
    series: 'api-rps',
    model: 'seasonal',
    generatedAtMs: 1000,
    stepSeconds: 60,
    horizonSeconds: 180,
    lastObserved: { t: 0, v: 40 },
    stale: false,
    points: [60_000, 120_000, 180_000].map((t, i) => ({ t, value: 50 + i, quantiles: { '0.5': 50 + i, '0.9': 70 + i } })),
  };

  it('when the series is stale, every point and quantile is the last good forecast floored at the last observation, on the same grid', () => {
    const out = fallBackToLastObservation(published, { t: 30_000, v: 51 });
    expect(out.stale).toBe(true);
    expect(out.lastObserved).toEqual({ t: 30_000, v: 51 });
    expect(out.fallbackReason).toBe(STALE_FALLBACK_REASON);
    expect(out.points).toEqual([
      { t: 60_000, value: 51, quantiles: { '0.5': 51, '0.9': 70 } },
      { t: 120_000, value: 51, quantiles: { '0.5': 51, '0.9': 71 } },
      { t: 180_000, value: 52, quantiles: { '0.5': 52, '0.9': 72 } },
    ]);
    expect(published.points[0]!.value).toBe(50); // input untouched
  });

  it('a NaN point of a stale forecast becomes the last observation', () => {
    const out = fallBackToLastObservation({ ...published, points: [{ t: 60_000, value: NaN, quantiles: { '0.9': NaN } }] }, { t: 30_000, v: 42 });
    expect(out.points).toEqual([{ t: 60_000, value: 42, quantiles: { '0.9': 42 } }]);
  });
});
