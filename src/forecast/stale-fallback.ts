import type { Sample } from '../series/sample';
import type { PublishedForecast } from './published-forecast';

/** Says why a stale forecast's points are flat, in `fallbackReason`. */
export const STALE_FALLBACK_REASON = 'stale input: no new sample for staleAfter steps; every point is the last observation';

/**
 * Safety rule 2: a forecaster whose input stopped must not steer blind. When the series is
 * stale, every published point keeps its timestamp but its value and every quantile become
 * the last observed value (the newest stored sample), `lastObserved` is that sample, and
 * `stale` is true. The horizon and the step grid are unchanged, so consumers need no
 * special case. Pure.
 */
export function fallBackToLastObservation(published: PublishedForecast, last: Sample): PublishedForecast {
  return {
    ...published,
    stale: true,
    lastObserved: last,
    fallbackReason: STALE_FALLBACK_REASON,
    points: published.points.map((p) => ({
      t: p.t,
      value: last.v,
      quantiles: Object.fromEntries(Object.keys(p.quantiles).map((q) => [q, last.v])),
    })),
  };
}
