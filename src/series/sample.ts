/** One observation: epoch milliseconds and a finite value. */
export interface Sample {
  readonly t: number;
  readonly v: number;
}

/**
 * How irregular samples fold onto the series' step: a `rate` is averaged over the step
 * (requests/s stay requests/s), a `gauge` keeps the last value in the step (a queue length
 * is what it was at the end of the step).
 */
export type SeriesKind = 'rate' | 'gauge';
