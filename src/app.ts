import { join } from 'node:path';
import type { Express } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { dashboardRoute } from '../api/dashboard/dashboard-route';
import { healthRoutes } from '../api/health/health-routes';
import { buildHttpApp } from '../api/http/build-http-app';
import { metricsRoute } from '../api/http/metrics-route';
import { forecastRoutes } from '../api/rest/forecast-routes';
import { modelRoutes } from '../api/rest/model-routes';
import { metricsApiRoutes } from '../api/rest/metrics-api-routes';
import { seriesRoutes } from '../api/rest/series-routes';
import { statusRoutes } from '../api/rest/status-routes';
import { TrainingPool } from '../training/pool/training-pool';
import { FileModelRegistry } from '../training/registry/model-registry';
import { createTrainingMetrics } from '../training/training-metrics';
import { TrainingService } from '../training/training-service';
import type { Config } from './config/schema';
import { DemoWorkload } from './demo/demo-workload';
import type { ForecastRunner } from './forecast/forecast-runner';
import { ForecastService } from './forecast/forecast-service';
import { WorkerForecastRunner } from './forecast/worker-forecast-runner';
import { ForecastMetricProvider } from './metrics/forecast-metric-provider';
import { MetricValueService } from './metrics/metric-value-service';
import type { HistoryStore } from './store/history-store';
import { SqliteHistoryStore } from './store/sqlite-history-store';
import type { Logger } from './telemetry/logger';
import { createServiceMetrics } from './telemetry/service-metrics';
import { registerStateGauges } from './telemetry/state-gauges';
import { type Clock, systemClock } from './time/clock';

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  clock?: Clock;
  /** Defaults to the SQLite file under `storage.dataDir`. */
  store?: HistoryStore;
  /** Defaults to a worker thread, so fits never block serving. */
  runner?: ForecastRunner;
  /** Defaults to a new registry with the process metrics. */
  registry?: Registry;
}

/** The wired service: the HTTP handler plus lifecycle. `listen()` is the caller's (see `serve.ts`). */
export interface PrescaleApp {
  http: Express;
  forecasts: ForecastService;
  /** The model registry and training (worker threads). */
  training: TrainingService;
  /** The one service behind the external metrics API, the KEDA scaler and metrics-api. */
  metrics: MetricValueService;
  registry: Registry;
  store: HistoryStore;
  /** Starts the demo (if on) and the first forecast pass; resolves when that pass is done. */
  start(): Promise<void>;
  /** Stops background work and closes the store. */
  close(): Promise<void>;
}

/** The composition root: builds every adapter from the config and wires them. */
export function buildApp(deps: AppDeps): PrescaleApp {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const registry = deps.registry ?? defaultRegistry();
  const store = deps.store ?? new SqliteHistoryStore(join(config.storage.dataDir, 'history.sqlite'));
  const runner = deps.runner ?? new WorkerForecastRunner();
  const metrics = createServiceMetrics(registry);
  let forecasts: ForecastService | null = null;
  const training = new TrainingService({
    config,
    registry: new FileModelRegistry(modelsDir(config)),
    pool: new TrainingPool(config.training.workers),
    store,
    clock,
    logger: logger.child({ component: 'training' }),
    metrics: createTrainingMetrics(registry),
    onPromotedChange: (series) => forecasts?.requestRefresh(series),
  });
  forecasts = new ForecastService({ config, store, runner, clock, logger: logger.child({ component: 'forecast' }), metrics, trained: training });
  registerStateGauges(registry, () => forecasts.seriesState());
  // Provider table: first owner of a metric name answers (a plan provider goes here too).
  const metricValues = new MetricValueService({
    providers: [new ForecastMetricProvider(forecasts, clock)],
    namespaces: config.externalMetrics?.namespaces ?? [],
  });
  const demo = config.demo.enabled ? demoWorkload(config, forecasts, store, clock, logger) : null;
  let storeOpen = true;
  const http = buildHttpApp(
    [
      healthRoutes([
        { name: 'store', ok: () => storeOpen },
        { name: 'forecasts', ok: () => forecasts.isReady() },
      ]),
      metricsRoute(registry),
      seriesRoutes(forecasts, { maxSamplesPerRequest: config.server.maxSamplesPerRequest }),
      forecastRoutes(forecasts),
      modelRoutes(training),
      statusRoutes({
        training: () => ({ backend: training.backend(), workers: config.training.workers, model: config.training.model, runs: training.runs().slice(0, 10) }),
        models: () => training.modelsStatus(),
      }),
      dashboardRoute(),
      metricsApiRoutes(metricValues),
    ],
    logger,
  );
  return {
    http,
    forecasts,
    training,
    metrics: metricValues,
    registry,
    store,
    async start() {
      demo?.start();
      await training.start();
      await forecasts.refreshAll();
    },
    async close() {
      demo?.stop();
      await forecasts.close();
      await training.close();
      await runner.close();
      storeOpen = false;
      store.close();
    },
  };
}

/** `training.modelsDir`, by default `models/` inside the data directory. */
export function modelsDir(config: Readonly<Config>): string {
  return config.training.modelsDir ?? join(config.storage.dataDir, 'models');
}

function defaultRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

function demoWorkload(config: Readonly<Config>, forecasts: ForecastService, store: HistoryStore, clock: Clock, logger: Logger): DemoWorkload {
  const series = forecasts.seriesConfig(config.demo.series);
  return new DemoWorkload({
    series: series.name,
    stepSeconds: series.step,
    seed: config.demo.seed,
    historySeconds: series.history,
    ingest: (name, samples) => forecasts.ingest(name, samples),
    lastSampleMs: () => store.last(series.name)?.t ?? null,
    clock,
    logger: logger.child({ component: 'demo' }),
  });
}
