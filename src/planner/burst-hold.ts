/**
 * Burst hold: keep a burst's capacity while the forecast says the burst regime continues
 * (issue 15, item 5: "hold scale-down while the forecast says the burst regime continues").
 *
 * The rise cover (rise-cover.ts) caps the forecast's noise cover at the reactive cover, the
 * peak of the last 5 minutes (the reactive hold) × (1 + headroom). Five minutes after a burst
 * that cap has fallen back to the quiet level, and the next burst of the same episode finds
 * the capacity gone. This rule raises the cap to the peak of a longer burst window, but only
 * as far as the forecast's sizing level still reaches it:
 *
 *   cap = max(reactiveCover, min(sized, burstCover))
 *
 * where burstCover = the burst window's peak × (1 + headroom). The calibrated sizing quantile
 * is what says whether the regime continues: online calibration widens it while bursts keep
 * landing above the forecast and narrows it once they stop, and the hold ends with it. One rule
 * for every series and step; it never holds more than the forecast's own sizing level, so on
 * a quiet series (a narrow interval) it changes nothing. Pure.
 */
export interface BurstHoldInput {
  /** The forecast at the sizing (newsvendor) level at the step. */
  readonly sized: number;
  /** Load the reactive metric alone keeps served now: held peak × (1 + headroom); NaN when the load is missing. */
  readonly reactiveCover: number;
  /** The same over the burst window: its peak load × (1 + headroom); NaN when the load is missing. */
  readonly burstCover: number;
}

/** The noise cap the rise cover applies at the step: the reactive cover, held up to the burst's cover while the sizing level reaches it. */
export function burstHeldCap(input: BurstHoldInput): number {
  const { sized, reactiveCover, burstCover } = input;
  if (!Number.isFinite(reactiveCover)) return reactiveCover;
  if (!Number.isFinite(sized) || !Number.isFinite(burstCover)) return reactiveCover;
  return Math.max(reactiveCover, Math.min(sized, burstCover));
}
