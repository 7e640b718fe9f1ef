import { type Forecast, InsufficientHistoryError, type RegularSeries } from '../../models/core/forecaster';
import { SEASONAL_NAIVE } from '../../models/seasonal-naive/seasonal-naive';
import type { SeriesConfig } from '../config/schema';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { ForecastRunner } from './forecast-runner';

export interface FitWithFallbackDeps {
  runner: ForecastRunner;
  /** The configured model (`forecast.model`). */
  model: string;
  trained?: TrainedModels | undefined;
  metrics: Pick<ServiceMetrics, 'fallbacks'>;
  logger: Logger;
}

/** A forecast and, when a simpler model answered because the configured one could not run, why. */
export interface FitResult {
  forecast: Forecast;
  fallbackReason?: string;
}

/**
 * Forecasts one series down a ladder of models: the promoted trained model, then the
 * configured model, then seasonal-naive when the configured one needs more history. Every
 * step down is counted in `prescale_forecast_fallbacks_total` (style rule 8: the fallback
 * is visible).
 * @throws the configured model's error when it is not INSUFFICIENT_HISTORY, or seasonal-naive's.
 */
export async function fitWithFallback(
  deps: FitWithFallbackDeps,
  config: SeriesConfig,
  input: { series: RegularSeries; horizonSteps: number },
): Promise<FitResult> {
  const { runner, model, trained, metrics, logger } = deps;
  const name = config.name;
  const job = { series: input.series, horizonSteps: input.horizonSteps, quantiles: config.quantiles, seasonalities: config.seasonalities };
  const promoted = trained?.promoted(name);
  if (promoted) {
    try {
      return { forecast: await runner.run({ ...job, model: promoted.artifact.kind, artifact: promoted.artifact }) };
    } catch (err) {
      // The promoted model cannot serve this history (e.g. too short after a gap): fit the configured model instead.
      metrics.fallbacks.inc({ series: name, reason: 'trained_model_failed' });
      logger.warn({ series: name, version: promoted.version, err }, 'promoted model failed; fitting the configured model');
    }
  }
  try {
    return { forecast: await runner.run({ ...job, model }) };
  } catch (err) {
    if (!(err instanceof InsufficientHistoryError) || model === SEASONAL_NAIVE) throw err;
    metrics.fallbacks.inc({ series: name, reason: 'insufficient_history' });
    logger.info({ series: name, model, reason: err.message }, `falling back to ${SEASONAL_NAIVE}`);
    return { forecast: await runner.run({ ...job, model: SEASONAL_NAIVE }), fallbackReason: err.message };
  }
}
