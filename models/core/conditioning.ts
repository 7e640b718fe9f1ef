import type { FitOptions, Forecaster, FittedForecaster, RegularSeries } from './forecaster';

export interface MoveToNewerOptions {
  /** The unfitted forecaster `fitted` came from, used when a refit is chosen. */
  readonly forecaster: Forecaster;
  readonly fitted: FittedForecaster;
  /** The newer series (the training series extended); see `FittedForecaster.condition`. */
  readonly series: RegularSeries;
  /** Options of the refit, the same the first fit had. */
  readonly fitOptions?: FitOptions;
}

/**
 * The model brought to the end of `series` by a caller that can afford a fit (training,
 * held-out scoring, backtests, the ensemble's held-out windows): a model cheap to refit
 * (`refitCost` `low`) is refitted, so it also learns from the newer values; a trained one is
 * conditioned (`FittedForecaster.condition`). Serving and the simulator call `condition`
 * directly, since they must never train a network.
 * @throws {InsufficientHistoryError} from the refit or the conditioning.
 */
export function moveToNewer(options: MoveToNewerOptions): Promise<FittedForecaster> {
  const { forecaster, fitted, series, fitOptions } = options;
  return fitted.refitCost === 'low' ? forecaster.fit(series, fitOptions) : fitted.condition(series);
}
