import type { RegularSeries } from '../../models/core/forecaster';
import { alignToStep } from '../series/regularize';

/**
 * Accumulates samples (or per-step partial sums) onto a step grid with the index arithmetic
 * of `regularize`, so every store's folded read lands each sample in the same step and gives
 * the same bits. The grid starts at the step of the first value added; values arrive in time order.
 */
export class StepFold {
  private readonly stepMs: number;
  private readonly sum: number[] = [];
  private readonly n: number[] = [];
  private startMs = Number.NaN;

  constructor(private readonly stepSeconds: number) {
    this.stepMs = stepSeconds * 1000;
  }

  /** Adds `count` samples summing to `sum` at time `t` (rate), or, with `replace`, sets the step to `sum` (gauge: newest wins). */
  add(t: number, sum: number, options: { replace?: boolean; count?: number } = {}): void {
    if (Number.isNaN(this.startMs)) this.startMs = alignToStep(t, this.stepSeconds);
    const i = Math.floor((t - this.startMs) / this.stepMs);
    while (this.sum.length <= i) {
      this.sum.push(0);
      this.n.push(0);
    }
    if (options.replace) {
      this.sum[i] = sum;
      this.n[i] = 1;
    } else {
      this.sum[i] = (this.sum[i] as number) + sum;
      this.n[i] = (this.n[i] as number) + (options.count ?? 1);
    }
  }

  /**
   * The folded series: mean per step, NaN where nothing was added; empty when nothing was.
   * The values are a `Float64Array`: a read crosses two threads on its way to a model (read
   * worker, serving thread, forecast worker), and a typed array crosses as one copy of its
   * bytes where a plain array is written and rebuilt number by number, on the serving thread's heap.
   */
  result(timezone: string): RegularSeries {
    const { stepSeconds } = this;
    if (Number.isNaN(this.startMs)) return { startMs: alignToStep(0, stepSeconds), stepSeconds, values: new Float64Array(0), timezone };
    const values = Float64Array.from(this.sum, (s, i) => ((this.n[i] as number) > 0 ? s / (this.n[i] as number) : Number.NaN));
    return { startMs: this.startMs, stepSeconds, values, timezone };
  }
}
