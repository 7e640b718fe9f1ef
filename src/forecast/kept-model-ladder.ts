import { InsufficientHistoryError } from '../../models/core/forecaster';
import { SEASONAL_NAIVE } from '../../models/seasonal-naive/seasonal-naive';
import type { SeriesConfig } from '../config/schema';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { HistoryStore } from '../store/history-store';
import { readHistoryWindowSteps } from '../store/history-window';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { FitResult } from './fit-with-fallback';
import type { ForecastRunner } from './forecast-runner';
import type { KeptModelRefresh, KeptRefreshInput } from './kept-model-refresh';
import { coversWindow } from './published-forecast';

export interface KeptModelLadderDeps {
  kept: KeptModelRefresh;
  runner: ForecastRunner;
  store: Pick<HistoryStore, 'readSteps'>;
  /** The configured model (`forecast.model`). */
  model: string;
  trained?: TrainedModels | undefined;
  metrics: Pick<ServiceMetrics, 'fallbacks'>;
  logger: Logger;
}

/**
 * The ladder of `fitWithFallback` (docs/degradation.md, row 3) over kept models: the promoted
 * trained model, then the configured model, each conditioned when kept (refitted when due);
 * when the configured model fails, the previous forecast while it still covers the serving
 * window (the error is thrown, so the cache keeps it: safety rule 4), else seasonal-naive on
 * the full window. Every step down is counted in `prescale_forecast_fallbacks_total`.
 * @throws the configured model's error while the previous forecast covers the window; otherwise seasonal-naive's.
 */
export async function keptModelLadder(deps: KeptModelLadderDeps, config: SeriesConfig, input: KeptRefreshInput): Promise<FitResult> {
  const { kept, runner, store, model, trained, metrics, logger } = deps;
  const name = config.name;
  const promoted = trained?.promoted(name);
  if (promoted) {
    try {
      return await kept.forecast(config, { key: `trained:${promoted.version}`, kind: promoted.artifact.kind, artifact: promoted.artifact }, input);
    } catch (err) {
      // The promoted model cannot serve this history (e.g. too short after a gap): the configured model serves instead.
      metrics.fallbacks.inc({ series: name, reason: 'trained_model_failed' });
      logger.warn({ series: name, version: promoted.version, err }, 'promoted model failed; serving the configured model');
    }
  }
  try {
    return await kept.forecast(config, { key: `model:${model}`, kind: model }, input);
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
    const { series } = await readHistoryWindowSteps(store, config, input.last);
    const job = { series, horizonSteps: input.horizonSteps, quantiles: config.quantiles, seasonalities: config.seasonalities };
    return { forecast: await runner.run({ ...job, model: SEASONAL_NAIVE }), fallbackReason: why };
  }
}
