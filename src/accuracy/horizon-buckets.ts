/**
 * Lead-time buckets of live accuracy. A forecast point's lead is the time from the newest
 * step the forecast was made from to its target step. Scores are kept per bucket, because a
 * forecast for the next minutes and one for hours ahead are not equally good; leads past the
 * last bucket are not scored (they would hold hours of pending forecasts per series).
 */
export interface HorizonBucket {
  /** Label in JSON and docs (`0-15m`). */
  name: string;
  /** Exclusive lower bound of the lead, seconds. */
  fromSeconds: number;
  /** Inclusive upper bound of the lead, seconds. */
  toSeconds: number;
}

export const HORIZON_BUCKETS: readonly HorizonBucket[] = [
  { name: '0-15m', fromSeconds: 0, toSeconds: 900 },
  { name: '15-60m', fromSeconds: 900, toSeconds: 3600 },
  { name: '1-6h', fromSeconds: 3600, toSeconds: 21_600 },
];

/** The longest lead that is scored, seconds. */
export const MAX_SCORED_LEAD_SECONDS = 21_600;

/** Index into `HORIZON_BUCKETS` of a lead, or -1 when it is not scored (≤ 0 or past the last bucket). */
export function horizonBucketOf(leadSeconds: number): number {
  for (let i = 0; i < HORIZON_BUCKETS.length; i++) {
    const b = HORIZON_BUCKETS[i] as HorizonBucket;
    if (leadSeconds > b.fromSeconds && leadSeconds <= b.toSeconds) return i;
  }
  return -1;
}

/**
 * The lead at the middle of a bucket, seconds. Of all the forecasts issued for one target
 * within a bucket, the one whose lead is nearest this is kept and scored: one representative
 * per target and bucket keeps the memory per series bounded by the horizon, not by the number
 * of refreshes.
 */
export function bucketMidSeconds(index: number): number {
  const b = HORIZON_BUCKETS[index] as HorizonBucket;
  return (b.fromSeconds + b.toSeconds) / 2;
}
