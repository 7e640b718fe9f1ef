/**
 * Retrains the model of one series. The scheduler only knows this port; the composition
 * root plugs in the registry's trainer (fit, backtest, promotion gate) followed by a
 * forecast refresh. Implementations must leave the last good model serving when they throw.
 */
export interface RetrainJob {
  /** @throws whatever made the run fail; the scheduler records it and goes on with the next series. */
  run(series: string): Promise<void>;
}
