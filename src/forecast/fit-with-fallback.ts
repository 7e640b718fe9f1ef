import type { Forecast, RegularSeries } from '../../models/core/forecaster';
import { SEASONAL_NAIVE } from '../../models/seasonal-naive/seasonal-naive';
import type { SeriesConfig } from '../config/schema';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { CachedForecast } from './cached-forecast';
import type { ForecastRunner } from './forecast-runner';
import { runFallbackLadder } from './fallback-ladder';

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
 * A refit on the full window down the degradation ladder (`runFallbackLadder`): the promoted
 * model rebuilt, the configured model fitted, seasonal-naive.
 * @throws as `runFallbackLadder`.
 */
export async function fitWithFallback(deps: FitWithFallbackDeps, config: SeriesConfig, input: FitInput): Promise<FitResult> {
  const { runner, model } = deps;
  const job = { series: input.series, horizonSteps: input.horizonSteps, quantiles: config.quantiles, seasonalities: config.seasonalities };
  return runFallbackLadder(deps, config, input, {
    promoted: async (p) => ({ forecast: await runner.run({ ...job, model: p.artifact.kind, artifact: p.artifact }) }),
    configured: async () => ({ forecast: await runner.run({ ...job, model }) }),
    seasonalNaive: () => runner.run({ ...job, model: SEASONAL_NAIVE }),
  });
}
