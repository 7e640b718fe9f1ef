import { type Forecast, InsufficientHistoryError, type ModelArtifact } from '../../models/core/forecaster';
import { SEASONAL_NAIVE } from '../../models/seasonal-naive/seasonal-naive';
import type { SeriesConfig } from '../config/schema';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { CachedForecast } from './cached-forecast';
import type { FitResult } from './fit-with-fallback';
import { coversWindow } from './published-forecast';

export interface FallbackLadderDeps {
  /** The configured model (`forecast.model`). */
  model: string;
  trained?: TrainedModels | undefined;
  metrics: Pick<ServiceMetrics, 'fallbacks'>;
  logger: Logger;
}

/** How each rung forecasts: a refit on the full window, or a kept model conditioned. */
export interface LadderRungs {
  promoted(promoted: { version: string; artifact: ModelArtifact }): Promise<FitResult>;
  configured(): Promise<FitResult>;
  seasonalNaive(): Promise<Forecast>;
}

/**
 * The degradation ladder of a refresh (docs/degradation.md, row 3), whatever runs the models:
 * the promoted trained model, then the configured model; when the configured model fails, the
 * previous forecast while it still covers the serving window (the error is thrown, so the
 * cache keeps it: safety rule 4), else seasonal-naive. Every step down is counted in
 * `prescale_forecast_fallbacks_total` (style rule 8: the fallback is visible).
 * @throws the configured model's error while the previous forecast covers the window; otherwise seasonal-naive's.
 */
export async function runFallbackLadder(
  deps: FallbackLadderDeps,
  config: SeriesConfig,
  input: { previous?: CachedForecast | undefined; nowMs: number },
  rungs: LadderRungs,
): Promise<FitResult> {
  const { model, trained, metrics, logger } = deps;
  const name = config.name;
  const promoted = trained?.promoted(name);
  if (promoted) {
    try {
      return await rungs.promoted(promoted);
    } catch (err) {
      // The promoted model cannot serve this history (e.g. too short after a gap): the configured model serves instead.
      metrics.fallbacks.inc({ series: name, reason: 'trained_model_failed' });
      logger.warn({ series: name, version: promoted.version, err }, 'promoted model failed; serving the configured model');
    }
  }
  try {
    return await rungs.configured();
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
    return { forecast: await rungs.seasonalNaive(), fallbackReason: why };
  }
}
