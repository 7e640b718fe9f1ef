import type { ModelArtifact, RegularSeries } from '../models/core/forecaster';
import type { FitScheduleOptions, FitSpec } from './fit-schedule';

/** The whole trace and how to fit it: the worker fits every scheduled attempt on its prefixes, oldest first. */
export interface FitsAheadJob {
  readonly trace: RegularSeries;
  readonly spec: FitSpec;
  readonly schedule: FitScheduleOptions;
}

/** One scheduled attempt: the history length it was fitted at, and the fitted model (null: too little history). */
export interface FitOutcome {
  readonly length: number;
  readonly artifact: ModelArtifact | null;
}

export type FitsAheadProtocol = { fitAll: { request: FitsAheadJob; reply: number; progress: FitOutcome } };
