import type { TrustFallback } from '../accuracy/accuracy-tracker';
import type { Sample } from '../series/sample';
import type { PublishedForecast, PublishedPoint } from './published-forecast';

/** Every point and quantile of `points` at `value`, on the same step grid. Pure. */
export function flatPoints(points: readonly PublishedPoint[], value: number): PublishedPoint[] {
  return points.map((p) => ({ t: p.t, value, quantiles: Object.fromEntries(Object.keys(p.quantiles).map((q) => [q, value])) }));
}

/**
 * The trust gate's view (docs/accuracy.md): while live accuracy says the forecast is worse
 * than seasonal-naive, or its upper quantile misses too often, every point and quantile is the
 * reactive demand (`reactiveDemand` in reactive-demand.ts: the peak observation over the observation-floor window,
 * at least the newest sample, so also the observation floor of safety rule 1). The step grid
 * and the horizon are unchanged, so consumers need no special case; `trustFallback` and
 * `fallbackReason` say why. Pure.
 *
 * @param reactive the value to publish, from {@link reactiveDemand}; `last` stays `lastObserved`.
 */
export function fallBackToReactive(published: PublishedForecast, last: Sample, fallback: TrustFallback, reactive: number = last.v): PublishedForecast {
  const reasons = [published.fallbackReason, fallback.detail].filter((r) => r !== undefined);
  return {
    ...published,
    lastObserved: last,
    fallbackReason: reasons.join('; '),
    trustFallback: { reason: fallback.reason, detail: fallback.detail, sinceMs: fallback.sinceMs },
    points: flatPoints(published.points, Math.max(reactive, last.v)),
  };
}
