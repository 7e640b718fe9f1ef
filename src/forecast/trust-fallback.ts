import type { TrustFallback } from '../accuracy/accuracy-tracker';
import type { Sample } from '../series/sample';
import type { PublishedForecast } from './published-forecast';

/**
 * The trust gate's view (docs/accuracy.md): while live accuracy says the forecast is worse
 * than seasonal-naive, or its upper quantile misses too often, every point and quantile is the
 * last observation — the reactive demand an HPA without Prescale would size on, which is also
 * the observation floor (safety rule 1). The step grid and the horizon are unchanged, so
 * consumers need no special case; `trustFallback` and `fallbackReason` say why. Pure.
 */
export function fallBackToReactive(published: PublishedForecast, last: Sample, fallback: TrustFallback): PublishedForecast {
  const reasons = [published.fallbackReason, fallback.detail].filter((r) => r !== undefined);
  return {
    ...published,
    lastObserved: last,
    fallbackReason: reasons.join('; '),
    trustFallback: { reason: fallback.reason, detail: fallback.detail, sinceMs: fallback.sinceMs },
    points: published.points.map((p) => ({ t: p.t, value: last.v, quantiles: Object.fromEntries(Object.keys(p.quantiles).map((q) => [q, last.v])) })),
  };
}
