import { type Forecast, InsufficientHistoryError, type RegularSeries } from '../../models/core/forecaster';
import { SEASONAL_NAIVE } from '../../models/seasonal-naive/seasonal-naive';
import type { SeriesConfig } from '../config/schema';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { CachedForecast } from './cached-forecast';
import type { ForecastRunner } from './forecast-runner';
import { coversWindow } from './published-forecast';

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
  /** The history the forecast was made from, when the refresh read one (live accuracy scores on it rather than read again). */
  series?: RegularSeries;
}

/** What a refit starts from: the history, and the forecast serving now (if any). */
export interface FitInput {
  series: RegularSeries;
  horizonSteps: number;
  /** The cached forecast serving now; kept when the configured model fails and it still covers the window. */
  previous?: CachedForecast | undefined;
  /** Epoch ms of the refit (the service clock), to tell whether `previous` still covers the window. */
  nowMs: number;
}

/**
 * Forecasts one series down a ladder (docs/degradation.md, row 3): the promoted trained
 * model, then the configured model; when the configured model fails, the previous forecast
 * while it still covers the serving window (the error is thrown, so the cache keeps it:
 * safety rule 4), else seasonal-naive. When that fails too the error is thrown, and the
 * reader serves the last observation. Every step down is counted in
 * `prescale_forecast_fallbacks_total` (style rule 8: the fallback is visible).
 * @throws the configured model's error while the previous forecast covers the window; otherwise seasonal-naive's.
 */
export async function fitWithFallback(deps: FitWithFallbackDeps, config: SeriesConfig, input: FitInput): Promise<FitResult> {
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
    if (model === SEASONAL_NAIVE) throw err;
    const short = err instanceof InsufficientHistoryError;
    // A model that crashed (a worker that died, a bug) says nothing about the history: a
    // forecast that still covers the window is better than a simpler model's.
    const previous = input.previous;
    if (!short && previous && coversWindow(previous.forecast, { nowMs: input.nowMs, stepSeconds: config.step, horizonSeconds: config.horizon })) throw err;
    const reason = short ? 'insufficient_history' : 'model_failed';
    metrics.fallbacks.inc({ series: name, reason });
    logger.info({ series: name, model, reason: (err as Error).message }, `falling back to ${SEASONAL_NAIVE}`);
    const why = short ? (err as Error).message : `${model} failed (${(err as Error).message}); ${SEASONAL_NAIVE} answered`;
    return { forecast: await runner.run({ ...job, model: SEASONAL_NAIVE }), fallbackReason: why };
  }
}
