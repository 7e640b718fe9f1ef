import { join } from 'node:path';
import type { Express } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { dashboardRoute } from '../api/dashboard/dashboard-route';
import { healthRoutes } from '../api/health/health-routes';
import { buildHttpApp } from '../api/http/build-http-app';
import { metricsRoute } from '../api/http/metrics-route';
import { forecastRoutes } from '../api/rest/forecast-routes';
import { modelRoutes } from '../api/rest/model-routes';
import { planRoutes } from '../api/rest/plan-routes';
import { metricsApiRoutes } from '../api/rest/metrics-api-routes';
import { seriesRoutes } from '../api/rest/series-routes';
import { statusRoutes } from '../api/rest/status-routes';
import { TrainingPool } from '../training/pool/training-pool';
import { FileModelRegistry } from '../training/registry/model-registry';
import { createTrainingMetrics as createModelTrainingMetrics } from '../training/training-metrics';
import { TrainingService } from '../training/training-service';
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
import { FileLeaderLock } from './scheduler/leader-lock';
import { RetrainScheduler } from './scheduler/retrain-scheduler';
import { PrometheusSource, type PrometheusSourceOptions } from './sources/prometheus-source';
import { type PulledSeries, PullScheduler } from './sources/pull-scheduler';
import { SqliteHistoryStore } from './store/sqlite-history-store';
import type { Logger } from './telemetry/logger';
import { createServiceMetrics } from './telemetry/service-metrics';
import { createSourceMetrics } from './telemetry/source-metrics';
import { registerStateGauges } from './telemetry/state-gauges';
import { createTrainingMetrics } from './telemetry/training-metrics';
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
  /** Retry timing of the Prometheus sources (tests shorten it). */
  sourceOptions?: PrometheusSourceOptions;
  /** False: after the start-up backfill, pulls run only on `pulls.pullAll()` (tests that move an injected clock). Default true. */
  schedulePulls?: boolean;
  /** Kubernetes API for the actuator (dry-run/actuate modes); defaults to client-node with the configured kubeconfig. */
  kubeApi?: KubeApi;
}

/** The wired service: the HTTP handler plus lifecycle. `listen()` is the caller's (see `serve.ts`). */
export interface PrescaleApp {
  http: Express;
  forecasts: ForecastService;
  /** The model registry and training (worker threads). */
  training: TrainingService;
  plans: PlanService;
  /** The one service behind the external metrics API, the KEDA scaler and metrics-api. */
  metrics: MetricValueService;
  registry: Registry;
  store: HistoryStore;
  /** Pulls the series that have a `source` (backfill on start, then every step). */
  pulls: PullScheduler;
  /** Scheduled retraining (`training.schedule`); `trigger('manual')` runs a round now. */
  retraining: RetrainScheduler;
  /** Starts the demo (if on), backfills pulled series, starts the schedules, then runs the first forecast pass; resolves when that pass is done. */
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
    metrics: createModelTrainingMetrics(registry),
    onPromotedChange: (series) => forecasts?.requestRefresh(series),
  });
  forecasts = new ForecastService({ config, store, runner, clock, logger: logger.child({ component: 'forecast' }), metrics, trained: training });
  registerStateGauges(registry, () => forecasts.seriesState());
  const plans = new PlanService({ config, forecasts, clock });
  let actuation: RunningActuator | null = null;
  // Provider table: first owner of a metric name answers (series forecasts, then pool plans).
  const metricValues = new MetricValueService({
    providers: [new ForecastMetricProvider(forecasts, clock), new PlanMetricProvider(plans)],
    namespaces: config.externalMetrics?.namespaces ?? [],
  });
  const demo = config.demo.enabled ? demoWorkload(config, forecasts, store, clock, logger) : null;
  const sources = config.series.flatMap((s): (PulledSeries & { source: PrometheusSource })[] =>
    s.source ? [{ config: s, source: new PrometheusSource(s.source.prometheus, deps.sourceOptions) }] : [],
  );
  const pulls: PullScheduler = new PullScheduler({
    series: sources,
    ingest: (name, samples) => forecasts.ingest(name, samples),
    lastSampleMs: (name) => store.last(name)?.t ?? null,
    clock,
    logger: logger.child({ component: 'sources' }),
    metrics: createSourceMetrics(registry, () => pulls.statuses()),
  });
  const retraining = retrainScheduler(config, { forecasts, training, registry, clock, logger });
  let storeOpen = true;
  const http = buildHttpApp(
    [
      healthRoutes(
        [
          { name: 'store', ok: () => storeOpen },
          { name: 'forecasts', ok: () => forecasts.isReady() },
        ],
        // A source that is down does not make the replica unready: it keeps serving (safety rule 2).
        sources.length > 0 ? [{ name: 'sources', read: () => Object.fromEntries(pulls.statuses().map((s) => [s.series, s])) }] : [],
      ),
      statusRoutes({
        sources: () => pulls.statuses(),
        trainingJobs: () => retraining.status(),
        training: () => ({ backend: training.backend(), workers: config.training.workers, model: config.training.model, runs: training.runs().slice(0, 10) }),
        models: () => training.modelsStatus(),
      }),
      metricsRoute(registry),
      seriesRoutes(forecasts, { maxSamplesPerRequest: config.server.maxSamplesPerRequest }),
      forecastRoutes(forecasts),
      modelRoutes(training),
      planRoutes(plans, () => actuation?.actuator.context() ?? {}),
      dashboardRoute(),
      metricsApiRoutes(metricValues),
    ],
    logger,
  );
  return {
    http,
    forecasts,
    training,
    plans,
    metrics: metricValues,
    registry,
    store,
    pulls,
    retraining,
    async start() {
      demo?.start();
      await training.start();
      await pulls.start({ schedule: deps.schedulePulls ?? true });
      retraining.start();
      if (config.actuator.mode !== 'metrics-only') {
        actuation = await startActuator({ config, plans, registry, clock, logger, api: deps.kubeApi });
      }
      await forecasts.refreshAll();
    },
    async close() {
      demo?.stop();
      await pulls.stop();
      for (const s of sources) s.source.close();
      await retraining.stop();
      await actuation?.stop();
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

/**
 * Retraining on `training.schedule`: each round trains every series through the registry
 * (fit, backtest, promotion gate) and then refreshes its served forecast. A failed run
 * throws, so the scheduler records it, and the promoted version keeps serving.
 */
function retrainScheduler(
  config: Readonly<Config>,
  deps: { forecasts: ForecastService; training: TrainingService; registry: Registry; clock: Clock; logger: Logger },
): RetrainScheduler {
  const { forecasts, training, registry, clock, logger } = deps;
  const { schedule, timezone, jitter, lockFile, lockTtl } = config.training;
  const leader = schedule === undefined ? null : new FileLeaderLock(lockFile ?? join(config.storage.dataDir, 'training.lock'), { ttlMs: lockTtl * 1000, clock });
  const scheduler: RetrainScheduler = new RetrainScheduler({
    series: () => forecasts.seriesNames(),
    job: {
      run: async (series) => {
        await training.trainToCompletion(series);
        await forecasts.refit(series);
      },
    },
    schedule,
    timezone,
    jitterMs: (jitter ?? 0) * 1000,
    leader,
    leaderRenewMs: (lockTtl * 1000) / 3,
    clock,
    logger: logger.child({ component: 'training' }),
    metrics: createTrainingMetrics(registry, () => ({ records: scheduler.history.all(), leader: scheduler.leader() })),
  });
  return scheduler;
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
