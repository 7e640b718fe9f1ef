import { join } from 'node:path';
import type { Express } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { dashboardRoute } from '../api/dashboard/dashboard-route';
import { healthRoutes } from '../api/health/health-routes';
import { buildHttpApp } from '../api/http/build-http-app';
import { metricsRoute } from '../api/http/metrics-route';
import { forecastRoutes } from '../api/rest/forecast-routes';
import { planRoutes } from '../api/rest/plan-routes';
import { metricsApiRoutes } from '../api/rest/metrics-api-routes';
import { seriesRoutes } from '../api/rest/series-routes';
import type { Config } from './config/schema';
import { DemoWorkload } from './demo/demo-workload';
import type { ForecastRunner } from './forecast/forecast-runner';
import { ForecastService } from './forecast/forecast-service';
import { WorkerForecastRunner } from './forecast/worker-forecast-runner';
import { type RunningActuator, startActuator } from './actuator/start-actuator';
import type { KubeApi } from './actuator/kube-api';
import { PlanMetricProvider } from './plans/plan-metric-provider';
import { PlanService } from './plans/plan-service';
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
  /** Kubernetes API for the actuator (dry-run/actuate modes); defaults to client-node with the configured kubeconfig. */
  kubeApi?: KubeApi;
}

/** The wired service: the HTTP handler plus lifecycle. `listen()` is the caller's (see `serve.ts`). */
export interface PrescaleApp {
  http: Express;
  forecasts: ForecastService;
  plans: PlanService;
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
  const forecasts = new ForecastService({ config, store, runner, clock, logger: logger.child({ component: 'forecast' }), metrics });
  registerStateGauges(registry, () => forecasts.seriesState());
  const plans = new PlanService({ config, forecasts, clock });
  let actuation: RunningActuator | null = null;
  // Provider table: first owner of a metric name answers (series forecasts, then pool plans).
  const metricValues = new MetricValueService({
    providers: [new ForecastMetricProvider(forecasts, clock), new PlanMetricProvider(plans)],
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
      planRoutes(plans, () => actuation?.actuator.context() ?? {}),
      dashboardRoute(),
      metricsApiRoutes(metricValues),
    ],
    logger,
  );
  return {
    http,
    forecasts,
    plans,
    metrics: metricValues,
    registry,
    store,
    async start() {
      demo?.start();
      if (config.actuator.mode !== 'metrics-only') {
        actuation = await startActuator({ config, plans, registry, clock, logger, api: deps.kubeApi });
      }
      await forecasts.refreshAll();
    },
    async close() {
      demo?.stop();
      await actuation?.stop();
      await forecasts.close();
      await runner.close();
      storeOpen = false;
      store.close();
    },
  };
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
