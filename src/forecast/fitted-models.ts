import type { FittedForecaster, Forecast, ModelArtifact, RegularSeries } from '../../models/core/forecaster';
import { modelKind } from '../../models/model-kinds';
import { carryCalibration } from '../../models/core/online-calibrated';

/**
 * One refresh of a series whose fitted model is kept between refreshes (in the worker thread
 * the series is routed to). Plain data, so it crosses threads.
 */
export interface StepJob {
  /** Series name: the key of the fitted model kept. */
  series: string;
  /**
   * Identity of the model to serve (`model:<kind>` for `forecast.model`, `trained:<version>`
   * for a promoted one). A kept model with another key is never conditioned.
   */
  modelKey: string;
  /**
   * `condition`: move the kept model to the end of `history` (no fit); answered
   * `needs-refit` when no model with `modelKey` is kept (first refresh, a worker that restarted).
   * `refit`: fit `model` on `history`, or rebuild `artifact` and condition it, and keep the result.
   */
  mode: 'condition' | 'refit';
  /** Kind to fit on a refit without `artifact`. */
  model: string;
  /** A trained model (the registry's promoted version) to rebuild on a refit; it is never trained here. */
  artifact?: ModelArtifact;
  /** For `refit`, the full history window; for `condition`, at least the tail the model reads. */
  history: RegularSeries;
  horizonSteps: number;
  quantiles: readonly number[];
  seasonalities: readonly ('daily' | 'weekly')[];
}

export type StepReply = { outcome: 'fitted' | 'conditioned'; forecast: Forecast } | { outcome: 'needs-refit' };

/**
 * The fitted model per series, kept where the series' refreshes run, so a refresh costs a
 * conditioning (about a millisecond for the seasonal model) instead of a fit (hundreds of
 * milliseconds on two weeks of minutes). Only the fitted state is kept, never the history:
 * a conditioned model shares the learned parts of the one before it.
 */
export class FittedModels {
  private readonly bySeries = new Map<string, { modelKey: string; fitted: FittedForecaster }>();

  /** @throws the fit's or the conditioning's error (e.g. InsufficientHistoryError); the series then keeps no model. */
  async step(job: StepJob): Promise<StepReply> {
    const held = this.bySeries.get(job.series);
    if (job.mode === 'condition' && (!held || held.modelKey !== job.modelKey)) return { outcome: 'needs-refit' };
    try {
      // A refit keeps the online calibration the series' model had reached (carryCalibration).
      const fitted = job.mode === 'condition' ? await held!.fitted.condition(job.history) : carryCalibration(held?.fitted, await fitOrRebuild(job));
      this.bySeries.set(job.series, { modelKey: job.modelKey, fitted });
      const forecast = fitted.predict(job.horizonSteps, { quantiles: job.quantiles });
      return { outcome: job.mode === 'condition' ? 'conditioned' : 'fitted', forecast };
    } catch (err) {
      // A model that failed here must not be conditioned later as if it were still good.
      this.bySeries.delete(job.series);
      throw err;
    }
  }

  /** How many series have a kept model. */
  get size(): number {
    return this.bySeries.size;
  }
}

function fitOrRebuild(job: StepJob): Promise<FittedForecaster> {
  // Serving never trains a network: a trained model is rebuilt and only moved to the end of the history.
  if (job.artifact) return modelKind(job.artifact.kind).fromArtifact(job.artifact).condition(job.history);
  const forecaster = modelKind(job.model).create({ horizonSteps: job.horizonSteps });
  return forecaster.fit(job.history, { seasonalities: job.seasonalities });
}
