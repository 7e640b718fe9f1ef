import type { FittedForecaster, RegularSeries } from '../models/core/forecaster';
import { type FitSpec, newestWindow, scheduledFits } from './fit-schedule';

/** Where a replay's scheduled fits come from: fitted on the replay's thread, or ahead in a worker (fits-ahead.ts). */
export interface FitSource {
  /**
   * The scheduled fit on the first `length` steps of `observed` (the history so far, at least
   * that long), or null when they hold too little history. Called once per attempt, in the
   * order of the schedule (fit-schedule.ts).
   * @param previous the model the fit replaces, for a warm start.
   */
  fitAt(length: number, observed: RegularSeries, previous: FittedForecaster | null): Promise<FittedForecaster | null>;
  close(): Promise<void>;
}

/** Fits on the replay's own thread, when it is asked: right for models that fit in milliseconds. */
export function inlineFits(spec: FitSpec): FitSource {
  const fit = scheduledFits(spec);
  return {
    fitAt: (length, observed, previous) => fit(newestWindow(observed, length, spec.trainWindowSeconds), previous),
    close: () => Promise.resolve(),
  };
}
