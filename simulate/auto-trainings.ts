import { type FittedForecaster, InsufficientHistoryError, type RegularSeries } from '../models/core/forecaster';
import { trainingSchema } from '../src/config/training-schema';
import { iso } from '../src/time/iso';
import { type ServingVersion, trainCandidate } from '../src/model-selection/candidate-training';
import type { ModelChoice } from '../src/model-selection/model-choice';
import type { FitSpec } from './fit-schedule';

/** `--model auto`: the replay trains as the service does under `forecast.model: auto`, its default. */
export const AUTO = 'auto';

/** What serves under auto until a training promotes a version (the refresh's fit, docs/training.md). */
const BEFORE_PROMOTION = 'seasonal';

/**
 * The trainings of one replay under `forecast.model: auto`, in order: each scores every kind
 * the window supports on its held-out day and gates the winner against the version serving
 * (src/model-selection/candidate-training.ts, what the service's trainer runs, with the default
 * `training` config). A promoted candidate serves; a rejected one leaves the serving version,
 * conditioned to the window as the service's refresh conditions it; before any promotion the
 * seasonal model fitted on the window serves. Stateful (the serving version), so one instance
 * per replay, called in schedule order.
 */
export class AutoTrainings {
  private serving: ServingVersion | null = null;
  private versions = 0;
  private choice: ModelChoice | null = null;

  constructor(
    private readonly spec: FitSpec,
    private readonly fitKind: (spec: FitSpec, window: RegularSeries) => Promise<FittedForecaster | null>,
  ) {}

  /** Trainings whose candidate the gate promoted. */
  get promotions(): number {
    return this.versions;
  }

  /** The kind choice of the last training that got as far as one. */
  get lastChoice(): ModelChoice | null {
    return this.choice;
  }

  /** The model serving after a training on `window`; null when the window is too short for one. */
  async train(window: RegularSeries): Promise<FittedForecaster | null> {
    const config = trainingSchema.parse({ lstm: { seed: this.spec.seed } });
    const endMs = window.startMs + window.values.length * window.stepSeconds * 1000;
    try {
      const trained = await trainCandidate(
        { seriesName: 'replay', series: window, horizonSteps: this.spec.horizonSteps, quantiles: [0.5, 0.9], config, chooseKind: true },
        this.serving,
        () => iso(endMs),
      );
      this.choice = trained.choice;
      if (trained.decision === 'rejected') return await this.current(window);
      this.serving = { fitted: trained.final, version: `v${++this.versions}`, trainedToMs: trained.trainedToMs };
      return trained.final;
    } catch (err) {
      // Too little history for the held-out day, or for any candidate (chooseServedKind's
      // RangeError): the training fails, and what serves goes on serving, as in the service.
      if (!(err instanceof InsufficientHistoryError || err instanceof RangeError)) throw err;
      return this.current(window);
    }
  }

  /** The serving version conditioned to the window, or the seasonal fit before any promotion. */
  private async current(window: RegularSeries): Promise<FittedForecaster | null> {
    if (!this.serving) return this.fitKind({ ...this.spec, model: BEFORE_PROMOTION }, window);
    this.serving = { ...this.serving, fitted: await this.serving.fitted.condition(window) };
    return this.serving.fitted;
  }
}
