import type { Express } from 'express';
import { dashboardRoute } from '../api/dashboard/dashboard-route';
import { healthRoutes } from '../api/health/health-routes';
import { buildHttpApp } from '../api/http/build-http-app';
import { metricsRoute } from '../api/http/metrics-route';
import { accuracyStatusJson } from '../api/rest/accuracy-json';
import { forecastRoutes } from '../api/rest/forecast-routes';
import { metricsApiRoutes } from '../api/rest/metrics-api-routes';
import { modelRoutes } from '../api/rest/model-routes';
import { planRoutes } from '../api/rest/plan-routes';
import { seriesRoutes } from '../api/rest/series-routes';
import { statusRoutes } from '../api/rest/status-routes';
import { advisoryRoutes } from '../api/rest/advisory-routes';
import { configSchemaRoute } from '../api/rest/config-schema-route';
import { decisionRoutes } from '../api/rest/decision-routes';
import { explainRoutes } from '../api/rest/explain-routes';
import { openApiRoute } from '../api/rest/openapi-route';
import { configJsonSchema } from '../src/config/config-json-schema';
import { ExplainService } from '../src/decisions/explain-service';
import { advisoryReporter } from './advisory-reporter';
import type { KubernetesApiFiles } from '../api/auth/token-review-authenticator';
import { redactSourceStatus } from '../src/sources/source-status';
import type { Logger } from '../src/telemetry/logger';
import { systemClock } from '../src/time/clock';
import type { CoreServices } from './core-services';
import { restGuard } from './rest-auth';

export interface ServiceHttpOptions {
  /** Kubernetes API access for `server.auth.kubernetes.tokenReview`; defaults to the in-cluster service account. */
  kubernetesApi?: KubernetesApiFiles;
}

/** The HTTP app on `server.port`: REST, metrics-api, health, `/metrics` and the dashboard, over the core services. */
export function buildServiceHttpApp(core: CoreServices, logger: Logger, options: ServiceHttpOptions = {}): Express {
  const { config, forecasts, training, pulls, retraining } = core;
  const guard = restGuard({ server: config.server, logger, now: () => systemClock.now(), ...(options.kubernetesApi ? { kubernetesApi: options.kubernetesApi } : {}) });
  // Source URLs may carry credentials (user:password@, ?token=): shown only redacted.
  const sourceStatuses = (): ReturnType<typeof pulls.statuses> => pulls.statuses().map(redactSourceStatus);
  return buildHttpApp(
    [
      healthRoutes(
        [
          { name: 'store', ok: () => core.storeOpen() },
          { name: 'forecasts', ok: () => forecasts.isReady() },
        ],
        // A source that is down does not make the replica unready: it keeps serving (safety rule 2).
        core.hasSources ? [{ name: 'sources', read: () => Object.fromEntries(sourceStatuses().map((s) => [s.series, s])) }] : [],
      ),
      statusRoutes({
        sources: sourceStatuses,
        trainingJobs: () => retraining.status(),
        training: () => ({ backend: training.backend(), workers: config.training.workers, model: config.training.model, runs: training.runs().slice(0, 10) }),
        models: () => training.modelsStatus(),
        accuracy: () => accuracyStatusJson(core.accuracy, core.clock.now()),
        leader: () => core.leadership.election.status(),
      }),
      metricsRoute(core.registry),
      seriesRoutes(forecasts, { maxSamplesPerRequest: config.server.maxSamplesPerRequest, maxFutureSkewSeconds: config.server.maxFutureSkew, clock: core.clock, accuracy: core.accuracy, servingModel: (series) => training.servingModel(series) }),
      forecastRoutes(forecasts),
      modelRoutes(training),
      planRoutes(core.plans),
      explainRoutes(new ExplainService({ config, plans: core.plans, forecasts, decisions: core.decisions }), core.clock),
      decisionRoutes(core.decisions, core.clock),
      advisoryRoutes(advisoryReporter(config, core.decisions), core.clock),
      configSchemaRoute(configJsonSchema),
      openApiRoute(),
      dashboardRoute(),
      metricsApiRoutes(core.metrics),
    ],
    logger,
    guard ? { guard } : {},
  );
}
