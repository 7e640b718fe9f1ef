import {
  type FitOptions,
  type Forecast,
  type Forecaster,
  type FittedForecaster,
  type ModelArtifact,
  type PredictOptions,
  type RegularSeries,
  InsufficientHistoryError,
  quantileKey,
  requireStep,
  validatePredictArgs,
} from '../core/forecaster';
import { withoutFlatlineOutages } from '../core/flatline-outages';
import { errorGrid, gridQuantile } from '../core/quantile-grid';
import { forecastStartMs, observedCount, stepsPerDay } from '../core/series-stats';

export const SEASONAL_NAIVE = 'seasonal-naive';

interface SeasonalNaiveState {
  startMs: number;
  stepSeconds: number;
  /** Season length in steps (one day; 1 when the history is shorter than a day). */
  period: number;
  /** The last `period` values, gaps filled from earlier cycles. */
  lastCycle: number[];
  /** Quantiles of in-sample `y(t) - y(t - period)`, on the shared grid. */
  errorGrid: number[];
}

/**
 * The baseline every score is relative to: tomorrow at this time equals today at this time.
 * With less than a day and a step of history it degrades to the naive (last value) forecast.
 */
export class SeasonalNaiveForecaster implements Forecaster {
  readonly name = SEASONAL_NAIVE;

  minTrainLength(): number {
    return 2;
  }

  async fit(input: RegularSeries, _options?: FitOptions): Promise<FittedForecaster> {
    const series = withoutFlatlineOutages(input);
    const n = observedCount(series.values);
    if (n < this.minTrainLength()) throw new InsufficientHistoryError(this.name, this.minTrainLength(), n);
    const day = stepsPerDay(series.stepSeconds);
    const period = series.values.length > day ? day : 1;
    return new FittedSeasonalNaive(buildState(series, period));
  }
}

function buildState(series: RegularSeries, period: number): SeasonalNaiveState {
  const values = series.values;
  const len = values.length;
  const lastCycle = lastCycleOf(values, period);
  const errors: number[] = [];
  for (let i = period; i < len; i++) {
    const d = (values[i] as number) - (values[i - period] as number);
    if (Number.isFinite(d)) errors.push(d);
  }
  return {
    startMs: forecastStartMs(series),
    stepSeconds: series.stepSeconds,
    period,
    lastCycle,
    errorGrid: errorGrid(errors),
  };
}

/** The last `period` values, each gap taken from the cycles before it (or the nearest earlier value). */
function lastCycleOf(values: ArrayLike<number>, period: number): number[] {
  const len = values.length;
  const lastCycle: number[] = [];
  for (let k = 0; k < period; k++) {
    // Walk back whole cycles until an observed value is found.
    let v = Number.NaN;
    for (let i = len - period + k; i >= 0 && !Number.isFinite(v); i -= period) v = values[i] as number;
    lastCycle.push(v);
  }
  fillGaps(lastCycle);
  return lastCycle;
}

/** Replaces NaNs by the nearest earlier finite value (or the first finite one). */
function fillGaps(cycle: number[]): void {
  const first = cycle.find(Number.isFinite) ?? 0;
  let prev = first;
  for (let i = 0; i < cycle.length; i++) {
    const v = cycle[i] as number;
    if (Number.isFinite(v)) prev = v;
    else cycle[i] = prev;
  }
}

class FittedSeasonalNaive implements FittedForecaster {
  readonly name = SEASONAL_NAIVE;
  readonly refitCost = 'low';
  constructor(private readonly state: SeasonalNaiveState) {}

  /**
   * Takes the last season from `series` and keeps the spread: the spread is a quantile of
   * every day-over-day change in the history, which one more sample does not move, and
   * recomputing it read the whole history on every sample (2 ms on two weeks of minutes). A
   * refit renews it. A series still shorter than a day and a step is refitted, so its period
   * grows to a day as soon as the history allows.
   */
  async condition(input: RegularSeries): Promise<FittedForecaster> {
    const series = withoutFlatlineOutages(input);
    requireStep(series, this.state.stepSeconds);
    const period = this.state.period;
    if (period < stepsPerDay(series.stepSeconds) || series.values.length < period) return new SeasonalNaiveForecaster().fit(series);
    return new FittedSeasonalNaive({ ...this.state, startMs: forecastStartMs(series), lastCycle: lastCycleOf(series.values, period) });
  }

  predict(horizonSteps: number, options: PredictOptions): Forecast {
    validatePredictArgs(horizonSteps, options);
    const { period, lastCycle } = this.state;
    const mean: number[] = [];
    for (let h = 0; h < horizonSteps; h++) mean.push(lastCycle[h % period] as number);
    const quantiles: Record<string, number[]> = {};
    for (const q of options.quantiles) {
      const offset = gridQuantile(this.state.errorGrid, q);
      quantiles[quantileKey(q)] = mean.map((m) => m + offset);
    }
    return { startMs: this.state.startMs, stepSeconds: this.state.stepSeconds, mean, quantiles, model: this.name };
  }

  toArtifact(): ModelArtifact {
    return { kind: SEASONAL_NAIVE, formatVersion: 1, state: this.state };
  }

  static fromArtifact(artifact: ModelArtifact): FittedSeasonalNaive {
    return new FittedSeasonalNaive(artifact.state as SeasonalNaiveState);
  }
}

export { FittedSeasonalNaive };
