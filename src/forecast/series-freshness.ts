import type { Sample } from '../series/sample';

export interface Freshness {
  /** Seconds since the newest sample (null without samples). */
  ageSeconds: number | null;
  /** True once `staleAfter` steps passed without a sample (also when there is none). */
  stale: boolean;
}

/** Safety rule 2: stale input is visible. */
export function freshness(last: Pick<Sample, 't'> | null, nowMs: number, options: { stepSeconds: number; staleAfter: number }): Freshness {
  if (!last) return { ageSeconds: null, stale: true };
  const ageSeconds = Math.max(0, (nowMs - last.t) / 1000);
  // A rate sample stamped at the start of its step is complete only one step later.
  return { ageSeconds, stale: ageSeconds > (options.staleAfter + 1) * options.stepSeconds };
}
