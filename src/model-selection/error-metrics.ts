import { pinballLoss as pinball } from '../../models/core/pinball-loss';

/**
 * Forecast error metrics. Conventions follow Hyndman & Koehler (2006) for MASE and the
 * M4 competition for sMAPE; pinball loss is the quantile loss averaged over levels.
 */

/** Accumulates errors over many forecast windows; missing actuals are skipped. */
export class ErrorAccumulator {
  private absScaledSum = 0;
  private smapeSum = 0;
  private pinballSum = 0;
  private count = 0;
  private pinballCount = 0;
  private readonly below = new Map<string, number>();

  constructor(private readonly quantiles: readonly number[]) {
    for (const q of quantiles) this.below.set(String(q), 0);
  }

  /**
   * @param scale the MASE scale of this window's training data (> 0).
   * @param quantileForecasts per quantile key, forecasts aligned with `actual`.
   */
  add(actual: ArrayLike<number>, point: ArrayLike<number>, quantileForecasts: Record<string, ArrayLike<number>>, scale: number): void {
    for (let i = 0; i < actual.length; i++) {
      const y = actual[i] as number;
      const f = point[i] as number;
      if (!Number.isFinite(y)) continue;
      this.count++;
      this.absScaledSum += Math.abs(y - f) / scale;
      const denom = Math.abs(y) + Math.abs(f);
      this.smapeSum += denom === 0 ? 0 : (2 * Math.abs(y - f)) / denom;
      for (const q of this.quantiles) {
        const key = String(q);
        const fq = (quantileForecasts[key] as ArrayLike<number>)[i] as number;
        this.pinballSum += pinball(y, fq, q) / scale;
        this.pinballCount++;
        if (y <= fq) this.below.set(key, (this.below.get(key) as number) + 1);
      }
    }
  }

  /** MASE, sMAPE (0–2 scale as a fraction, ×100 for percent), scaled pinball, coverage per quantile. */
  result(): { mase: number; smape: number; pinball: number; coverage: Record<string, number>; points: number } {
    const coverage: Record<string, number> = {};
    for (const [key, n] of this.below) coverage[key] = this.count > 0 ? n / this.count : Number.NaN;
    return {
      mase: this.count > 0 ? this.absScaledSum / this.count : Number.NaN,
      smape: this.count > 0 ? (100 * this.smapeSum) / this.count : Number.NaN,
      pinball: this.pinballCount > 0 ? this.pinballSum / this.pinballCount : Number.NaN,
      coverage,
      points: this.count,
    };
  }
}

/** Pinball (quantile) loss of forecast `f` at level `q` for actual `y` (shared with live accuracy). */
export { pinball };
