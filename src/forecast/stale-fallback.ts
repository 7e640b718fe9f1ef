import type { Sample } from '../series/sample';
import type { PublishedForecast } from './published-forecast';

/** Says why a stale forecast's points are never below the last observation, in `fallbackReason`. */
export const STALE_FALLBACK_REASON =
  'stale input: no new sample for staleAfter steps; every point is the last good forecast floored at the last observation (the last observation past its end)';

/**
 * Safety rule 2: a forecaster whose input stopped must not steer blind, nor below what was
 * last seen. When the series is stale, every published point keeps its timestamp and its
 * value and every quantile become at least the last observed value (the newest stored
 * sample): the last good forecast floored at the last observation (degradation row 1). Steps
 * the forecast no longer covers are already the last observation (`publishForecast`, row 2),
 * so a stale view is flat once the forecast has run out. `lastObserved` is that sample and
 * `stale` is true. The horizon and the step grid are unchanged, so consumers need no special
 * case. Pure.
 */
export function fallBackToLastObservation(published: PublishedForecast, last: Sample): PublishedForecast {
  // Not Math.max: a NaN point (a model gone wrong) becomes the last observation too, not NaN.
  const floor = (v: number): number => (v >= last.v ? v : last.v);
  return {
    ...published,
    stale: true,
    lastObserved: last,
    fallbackReason: STALE_FALLBACK_REASON,
    points: published.points.map((p) => ({
      t: p.t,
      value: floor(p.value),
      quantiles: Object.fromEntries(Object.entries(p.quantiles).map(([q, v]) => [q, floor(v)])),
    })),
  };
}
