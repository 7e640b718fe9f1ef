/**
 * Steady sizing with burst cover left to the reactive path (issue 15, item 5).
 *
 * Prescale's HPA takes the larger of two metrics: the plan and the reactive load metric,
 * which by itself keeps `reactiveCover` = held peak × (1 + headroom) of load served (the
 * reactive target is capacity / (1 + headroom)). The newsvendor quantile of the forecast,
 * q_nv, buys cover for the whole spread above the median on every step, and the reactive
 * term buys the same noise again from what it saw. One rule, for every trace and step:
 *
 *   spread  = q_nv − q0.5                          (the forecast's cover for noise and bursts)
 *   covered = clamp(reactiveCover − q0.5, 0, spread) (the part the reactive term already holds)
 *   steady  = max(q_nv − covered, observed)        (never below what is being served now)
 *
 * So the spread is bought once, by whichever path holds more of it; what the forecast
 * foresees above the present (a rise of the median) is still bought ahead of the lead time,
 * and a burst beyond both is absorbed by the HPA's fast scale-up on the reactive metric.
 * Pure.
 */
export interface BurstCoverInput {
  /** The forecast's median at the step. */
  readonly median: number;
  /** The forecast at the sizing (newsvendor) level at the step. */
  readonly sized: number;
  /** Load the reactive metric alone keeps served now: held peak × (1 + headroom). */
  readonly reactiveCover: number;
  /** The last observed load (the plan never asks for less than what is served now). */
  readonly observed: number;
}

export function steadyDemand(input: BurstCoverInput): number {
  const { median, sized, reactiveCover, observed } = input;
  if (![median, sized].every(Number.isFinite)) return sized;
  const spread = Math.max(0, sized - median);
  const covered = Number.isFinite(reactiveCover) ? Math.min(spread, Math.max(0, reactiveCover - median)) : 0;
  const steady = sized - covered;
  return Number.isFinite(observed) ? Math.max(steady, observed) : steady;
}
