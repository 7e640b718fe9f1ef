/**
 * Pinball (quantile) loss of forecast `f` at level `q` for actual `y`: the loss whose mean is
 * minimised by the q-quantile. The one definition the backtest (`src/model-selection/error-metrics.ts`)
 * and live accuracy (`src/accuracy/`) share, so both score on the same scale.
 */
export function pinballLoss(y: number, f: number, q: number): number {
  return y >= f ? q * (y - f) : (1 - q) * (f - y);
}
