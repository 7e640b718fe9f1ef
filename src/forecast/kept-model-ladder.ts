import { SEASONAL_NAIVE } from '../../models/seasonal-naive/seasonal-naive';
import type { SeriesConfig } from '../config/schema';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { HistoryStore } from '../store/history-store';
import { readHistoryWindowSteps } from '../store/history-window';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import { runFallbackLadder } from './fallback-ladder';
import type { FitResult } from './fit-with-fallback';
import type { ForecastRunner } from './forecast-runner';
import type { KeptModelRefresh, KeptRefreshInput } from './kept-model-refresh';

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
 * The degradation ladder (`runFallbackLadder`) over kept models: the promoted trained model,
 * then the configured model, each conditioned when kept (refitted when due); seasonal-naive
 * on the full window last.
 * @throws as `runFallbackLadder`.
 */
export async function keptModelLadder(deps: KeptModelLadderDeps, config: SeriesConfig, input: KeptRefreshInput): Promise<FitResult> {
  const { kept, runner, store, model } = deps;
  return runFallbackLadder(deps, config, input, {
    promoted: (p) => kept.forecast(config, { key: `trained:${p.version}`, kind: p.artifact.kind, artifact: p.artifact }, input),
    configured: () => kept.forecast(config, { key: `model:${model}`, kind: model }, input),
    seasonalNaive: async () => {
      const { series } = await readHistoryWindowSteps(store, config, input.last);
      return runner.run({ series, horizonSteps: input.horizonSteps, quantiles: config.quantiles, seasonalities: config.seasonalities, model: SEASONAL_NAIVE });
    },
  });
}
