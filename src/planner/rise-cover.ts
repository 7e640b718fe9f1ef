/**
 * Rise cover: the forecast buys only what it foresees above the reactive path (issue 15,
 * item 5; measured in docs/simulate.md, "Results 2026-12-02, rise cover").
 *
 * Prescale's HPA takes the larger of the plan and the reactive load metric, which alone keeps
 * `reactiveCover` = held peak × (1 + headroom) of load served. The newsvendor plan asks for
 * q_nv at every step of the lead-time window; where q_nv is above the reactive cover only
 * because the calibrated interval is wide (noise, not a foreseen rise), that is bought on
 * every step. This rule splits the forecast into a level and a rise:
 *
 *   level = min(q_nv, reactiveCover)        (noise cover: never more than the reactive term holds)
 *   rise  = max(0, mean − observed)         (what the point forecast expects above now)
 *   plan  = max(level + rise, observed)
 *
 * So below the reactive cover the plan is the newsvendor level plus the foreseen rise (more
 * than the plain rule on a rising ramp), and above it the plan adds only the foreseen rise to
 * what the reactive term holds. One rule for every series and step. Pure.
 */
export interface RiseCoverInput {
  /** The forecast at the sizing (newsvendor) level at the step. */
  readonly sized: number;
  /** The point forecast (mean) at the step. */
  readonly mean: number;
  /** Load the reactive metric alone keeps served now: held peak × (1 + headroom); NaN when the load is missing. */
  readonly reactiveCover: number;
  /** The last observed load. */
  readonly observed: number;
}

export function riseCoverDemand(input: RiseCoverInput): number {
  const { sized, mean, reactiveCover, observed } = input;
  if (!Number.isFinite(sized) || !Number.isFinite(reactiveCover) || !Number.isFinite(observed)) return sized;
  const level = Math.min(sized, reactiveCover);
  const rise = Number.isFinite(mean) ? Math.max(0, mean - observed) : 0;
  return Math.max(level + rise, observed);
}
