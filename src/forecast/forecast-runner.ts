import type { Forecast, ModelArtifact, RegularSeries } from '../../models/core/forecaster';
import { modelKind } from '../../models/model-kinds';
import { FittedModels, type StepJob, type StepReply } from './fitted-models';

export type { StepJob, StepReply } from './fitted-models';

/** One fit-and-predict job: everything a model needs, as plain data (so it can cross threads). */
export interface ForecastJob {
  model: string;
  series: RegularSeries;
  horizonSteps: number;
  quantiles: readonly number[];
  seasonalities: readonly ('daily' | 'weekly')[];
  /**
   * A trained model (from the registry) to serve instead of fitting `model`: it is rebuilt
   * from the artifact and conditioned on `series`, without training.
   */
  artifact?: ModelArtifact;
}

/**
 * Runs forecast jobs. The port lets the service run models in-process (cheap statistical
 * models) or off the serving thread (worker threads) without knowing which.
 */
export interface ForecastRunner {
  /** @throws {InsufficientHistoryError} when the model needs more history. */
  run(job: ForecastJob): Promise<Forecast>;
  /**
   * Refreshes a series against the fitted model kept for it (see `FittedModels`): runners that
   * keep fitted state implement it, and the refresher then conditions instead of refitting.
   * A runner without it refits on every refresh.
   * @throws the fit's or the conditioning's error.
   */
  step?(job: StepJob): Promise<StepReply>;
  close(): Promise<void>;
}

/** Fits and predicts with one model from the table of model kinds. */
export async function runForecastJob(job: ForecastJob): Promise<Forecast> {
  if (job.artifact) {
    const trained = modelKind(job.artifact.kind).fromArtifact(job.artifact);
    // Serving never trains: the model is only moved to the end of the series (FittedForecaster.condition).
    const fitted = await trained.condition(job.series);
    return fitted.predict(job.horizonSteps, { quantiles: job.quantiles });
  }
  const forecaster = modelKind(job.model).create({ horizonSteps: job.horizonSteps });
  const fitted = await forecaster.fit(job.series, { seasonalities: job.seasonalities });
  return fitted.predict(job.horizonSteps, { quantiles: job.quantiles });
}

/** Runs jobs on the calling thread; for tests and offline CLI commands. */
export class InProcessForecastRunner implements ForecastRunner {
  private readonly fitted = new FittedModels();

  run(job: ForecastJob): Promise<Forecast> {
    return runForecastJob(job);
  }

  step(job: StepJob): Promise<StepReply> {
    return this.fitted.step(job);
  }

  async close(): Promise<void> {}
}
