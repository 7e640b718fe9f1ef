import type { Express } from 'express';
import { dashboardRoute } from '../api/dashboard/dashboard-route';
import { healthRoutes } from '../api/health/health-routes';
import { buildHttpApp } from '../api/http/build-http-app';
import { metricsRoute } from '../api/http/metrics-route';
import { forecastRoutes } from '../api/rest/forecast-routes';
import { metricsApiRoutes } from '../api/rest/metrics-api-routes';
import { modelRoutes } from '../api/rest/model-routes';
import { planRoutes } from '../api/rest/plan-routes';
import { seriesRoutes } from '../api/rest/series-routes';
import { statusRoutes } from '../api/rest/status-routes';
import type { Logger } from '../src/telemetry/logger';
import type { CoreServices } from './core-services';

/** The HTTP app on `server.port`: REST, metrics-api, health, `/metrics` and the dashboard, over the core services. */
export function buildServiceHttpApp(core: CoreServices, logger: Logger): Express {
  const { config, forecasts, training, pulls, retraining } = core;
  return buildHttpApp(
    [
      healthRoutes(
        [
          { name: 'store', ok: () => core.storeOpen() },
          { name: 'forecasts', ok: () => forecasts.isReady() },
        ],
        // A source that is down does not make the replica unready: it keeps serving (safety rule 2).
        core.hasSources ? [{ name: 'sources', read: () => Object.fromEntries(pulls.statuses().map((s) => [s.series, s])) }] : [],
      ),
      statusRoutes({
        sources: () => pulls.statuses(),
        trainingJobs: () => retraining.status(),
        training: () => ({ backend: training.backend(), workers: config.training.workers, model: config.training.model, runs: training.runs().slice(0, 10) }),
        models: () => training.modelsStatus(),
      }),
      metricsRoute(core.registry),
      seriesRoutes(forecasts, { maxSamplesPerRequest: config.server.maxSamplesPerRequest, maxFutureSkewSeconds: config.server.maxFutureSkew, clock: core.clock }),
      forecastRoutes(forecasts),
      modelRoutes(training),
      planRoutes(core.plans),
      dashboardRoute(),
      metricsApiRoutes(core.metrics),
    ],
    logger,
  );
}
