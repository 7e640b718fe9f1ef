/**
 * Retrains the model of one series. The scheduler only knows this port: today it refits
 * the served forecast; the model registry's trainer (fit, backtest, promote) plugs in here.
 * Implementations must leave the last good model serving when they throw.
 */
export interface RetrainJob {
  /** @throws whatever made the run fail; the scheduler records it and goes on with the next series. */
  run(series: string): Promise<void>;
}
