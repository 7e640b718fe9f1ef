import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { TrainingPool } from '../training/pool/training-pool';
import { FileModelRegistry } from '../training/registry/model-registry';
import { PostgresModelRegistry } from '../training/registry/postgres-model-registry';
import type { ModelRegistry } from '../training/registry/registry-store';
import { createTrainingMetrics as createModelTrainingMetrics } from '../training/training-metrics';
import { TrainingService } from '../training/training-service';
import { type RunningActuator, startActuator } from '../src/actuator/start-actuator';
import type { KubeApi } from '../src/actuator/kube-api';
import type { DecisionStore } from '../src/decisions/decision-store';
import { SqliteDecisionStore } from '../src/decisions/sqlite-decision-store';
import { registerAccuracyMetrics } from '../src/accuracy/accuracy-metrics';
import { AccuracyTracker } from '../src/accuracy/accuracy-tracker';
import { JsonFileAccuracyStore } from '../src/accuracy/json-file-accuracy-store';
import { dataDirLayout } from '../src/config/data-dir-layout';
import type { Config } from '../src/config/schema';
import { DemoWorkload } from '../src/demo/demo-workload';
import { writeDemoReplay } from '../src/demo/demo-replay-writer';
import type { ForecastRunner } from '../src/forecast/forecast-runner';
import { ForecastService } from '../src/forecast/forecast-service';
import { WorkerForecastRunner } from '../src/forecast/worker-forecast-runner';
import type { LeaderElection } from '../src/leader-election/leader-election';
import { resolvePostgresUrl } from '../src/postgres/postgres-url';
import { ForecastMetricProvider } from '../src/metric-providers/forecast-metric-provider';
import { MetricValueService } from '../src/metric-providers/metric-value-service';
import { PlanMetricProvider } from '../src/metric-providers/plan-metric-provider';
import { registerPlanGauges } from '../src/planner/plan-gauges';
import { PlanService } from '../src/planner/plan-service';
import { registerCalibrationMetrics } from '../src/decision-calibration/calibration-metrics';
import { DecisionCalibrator } from '../src/decision-calibration/decision-calibrator';
import { JsonFileCalibrationStore } from '../src/decision-calibration/json-file-calibration-store';
import { createRetrainMetrics } from '../src/scheduler/retrain-metrics';
import { RetrainScheduler } from '../src/scheduler/retrain-scheduler';
import { PrometheusSource, type PrometheusSourceOptions } from '../src/sources/prometheus-source';
import { type PulledSeries, PullScheduler } from '../src/sources/pull-scheduler';
import type { HistoryStore } from '../src/store/history-store';
import type { PostgresDatabase } from '../src/postgres/postgres-database';
import type { Logger } from '../src/telemetry/logger';
import { createServiceMetrics } from '../src/telemetry/service-metrics';
import { createSourceMetrics } from '../src/telemetry/source-metrics';
import { registerStateGauges } from '../src/telemetry/state-gauges';
import { type Clock, systemClock } from '../src/time/clock';
import { type Leadership, buildLeadership } from './leadership';
import { openStorage } from './storage';

export interface CoreDeps {
  config: Readonly<Config>;
  logger: Logger;
  clock?: Clock;
  /** Defaults to the store of `storage.backend` (the SQLite file of the data-dir layout, or PostgreSQL). */
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
  /** Who leads (runs scheduled training and the actuator); defaults to the adapter `leader.election` picks (see main/leadership.ts). */
  trainingLeader?: LeaderElection;
  /** Whether this process runs in a pod (for `leader.election: auto`); defaults to whether a service account token is mounted. */
  inCluster?: boolean;
}

/** The services every transport reads, with the lifecycle of their background work. */
export interface CoreServices {
  config: Readonly<Config>;
  forecasts: ForecastService;
  /** Live accuracy of served forecasts and the trust gates (`docs/accuracy.md`). */
  accuracy: AccuracyTracker;
  /** The model registry and training (worker threads). */
  training: TrainingService;
  /** The step's one plan, read by the plan metric, `/v1/plans` and the actuator (which reports its cluster facts to it). */
  plans: PlanService;
  /** The one service behind the external metrics API, the KEDA scaler and metrics-api. */
  metrics: MetricValueService;
  registry: Registry;
  store: HistoryStore;
  /** The PostgreSQL database (pool + migrations) on the postgres backend, shared by every PostgreSQL component; null on sqlite. */
  postgres: PostgresDatabase | null;
  /** The service clock every component reads (injected by tests). */
  clock: Clock;
  /** Decision records and advisory samples (`decisions.sqlite` under the data dir). */
  decisions: DecisionStore;
  /** Pulls the series that have a `source` (backfill on start, then every step). */
  pulls: PullScheduler;
  /** True when at least one series has a source (readiness then reports the sources). */
  hasSources: boolean;
  /** Scheduled retraining (`training.schedule`); `trigger('manual')` runs a round now. */
  retraining: RetrainScheduler;
  /** The leader election shared by retraining and the actuator, for `/v1/status` and `prescale_leader`. */
  leadership: Leadership;
  /** False once `close()` has closed the store. */
  storeOpen(): boolean;
  /** Starts the demo (if on), backfills pulled series, starts the schedules, then runs the first forecast pass; resolves when that pass is done. */
  start(): Promise<void>;
  /** Stops background work and closes the store. */
  close(): Promise<void>;
}

/** Builds the core: store, forecasts, training, plans, metric providers, sources, schedules. */
export function buildCoreServices(deps: CoreDeps): CoreServices {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const registry = deps.registry ?? defaultRegistry();
  const layout = dataDirLayout(config);
  const storage = deps.store ? { history: deps.store, postgres: null, close: async () => deps.store?.close() } : openStorage(config);
  const store = storage.history;
  const runner = deps.runner ?? new WorkerForecastRunner({ workers: config.forecast.workers });
  // On the postgres backend the registry shares the history's pool; its watcher and the leader lock open their own sessions on the URL.
  const postgresUrl = storage.postgres ? resolvePostgresUrl(config.storage) : null;
  const models: ModelRegistry = storage.postgres && postgresUrl
    ? new PostgresModelRegistry({ pool: storage.postgres.pool, url: postgresUrl, keepVersions: config.training.keepVersions })
    : new FileModelRegistry(layout.modelsDir, { keepVersions: config.training.keepVersions });
  const training = new TrainingService({
    config,
    registry: models,
    pool: new TrainingPool(config.training.workers),
    store,
    clock,
    logger: logger.child({ component: 'training' }),
    metrics: createModelTrainingMetrics(registry),
  });
  const accuracyLogger = logger.child({ component: 'accuracy' });
  const accuracyStore = new JsonFileAccuracyStore(layout.accuracyFile, (why, movedTo) => accuracyLogger.warn({ why, movedTo }, 'saved live accuracy is unreadable; moved aside, scoring starts empty'));
  const accuracy = new AccuracyTracker({ series: config.series, store: accuracyStore, clock, logger: accuracyLogger, reactiveWindowSeconds: config.forecast.observationFloorHorizon });
  registerAccuracyMetrics(registry, accuracy, clock);
  const forecasts = new ForecastService({ config, store, runner, clock, logger: logger.child({ component: 'forecast' }), metrics: createServiceMetrics(registry), trained: training, accuracy });
  registerStateGauges(registry, () => forecasts.seriesState());
  const calibrationLogger = logger.child({ component: 'decision-calibration' });
  const calibrationStore = new JsonFileCalibrationStore(layout.calibrationFile, (why, movedTo) => calibrationLogger.warn({ why, movedTo }, 'saved decision calibration is unreadable; moved aside, pools start from their newsvendor level'));
  const calibration = new DecisionCalibrator({ pools: config.pools, store: calibrationStore, clock, logger: calibrationLogger, recentWindowSeconds: config.forecast.observationFloorHorizon });
  registerCalibrationMetrics(registry, calibration);
  const plans = new PlanService({ config, forecasts, clock, calibration });
  registerPlanGauges(registry, () => plans.current());
  let actuation: RunningActuator | null = null;
  const decisions = new SqliteDecisionStore(layout.decisionsFile);
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
    lastSampleMs: async (name) => (await store.last(name))?.t ?? null,
    clock,
    logger: logger.child({ component: 'sources' }),
    metrics: createSourceMetrics(registry, () => pulls.statuses()),
    maxFutureSkewSeconds: config.server.maxFutureSkew,
  });
  const leadership = buildLeadership({
    config,
    clock,
    postgresUrl,
    lockFile: layout.trainingLockFile,
    kubeApi: deps.kubeApi,
    override: deps.trainingLeader,
    inCluster: deps.inCluster,
  });
  leadership.election.registerGauge(registry);
  const retraining = retrainScheduler(config, { forecasts, training, registry, clock, logger, leader: leadership.election, leaseSeconds: leadership.shared ? config.leader.leaseDuration : config.training.lockTtl });
  let storeOpen = true;
  return {
    config,
    forecasts,
    accuracy,
    training,
    plans,
    metrics: metricValues,
    registry,
    store,
    postgres: storage.postgres,
    clock,
    decisions,
    pulls,
    hasSources: sources.length > 0,
    retraining,
    leadership,
    storeOpen: () => storeOpen,
    async start() {
      // Any replica may migrate at start: migrations run under an advisory lock, each once.
      const applied = await storage.postgres?.ready();
      if (applied?.length) logger.info({ applied }, 'applied PostgreSQL schema migrations');
      // Before the first refresh, so that refresh scores the forecasts remembered before the restart.
      await accuracy.load();
      await calibration.load();
      leadership.start();
      await demo?.start();
      writeDemoReplay(config, decisions, clock.now(), logger.child({ component: 'demo' })).catch((err: unknown) => logger.warn({ err }, 'demo replay stopped (the store closed?)'));
      await training.start();
      await pulls.start({ schedule: deps.schedulePulls ?? true });
      retraining.start();
      if (config.actuator.mode !== 'metrics-only') {
        // Replicas: the shared leader acts (dry-run too, so only one writes the audit); one process keeps the actuator's own Lease.
        actuation = await startActuator({
          config,
          plans,
          registry,
          clock,
          logger,
          api: deps.kubeApi,
          decisions,
          forecasts,
          ...(leadership.shared ? { elector: leadership.election, identity: leadership.election.identity } : {}),
        });
      }
      await forecasts.refreshAll();
    },
    async close() {
      demo?.stop();
      await pulls.stop();
      for (const s of sources) s.source.close();
      await retraining.stop();
      await actuation?.stop();
      await leadership.stop();
      await forecasts.close();
      await accuracy.close().catch((err: unknown) => logger.warn({ err }, 'saving live accuracy on close failed; the last periodic save stays'));
      await calibration.close().catch((err: unknown) => logger.warn({ err }, 'saving decision calibration on close failed; the last periodic save stays'));
      await training.close();
      if (models instanceof PostgresModelRegistry) await models.close();
      await runner.close();
      storeOpen = false;
      decisions.close();
      await storage.close();
    },
  };
}

function defaultRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client also exports nodejs_active_{handles,requests,resources}_total as gauges, which
  // `promtool check metrics` rejects (`_total` is for counters); the same counts stay as
  // nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
  for (const metric of registry.getMetricsAsArray()) {
    if (metric.name.endsWith('_total') && metric instanceof Gauge) registry.removeSingleMetric(metric.name);
  }
  return registry;
}

/**
 * Retraining on `training.schedule`: each round trains every series through the registry
 * (fit, backtest, promotion gate) and then refreshes its served forecast. A failed run
 * throws, so the scheduler records it, and the promoted version keeps serving.
 */
function retrainScheduler(
  config: Readonly<Config>,
  deps: { forecasts: ForecastService; training: TrainingService; registry: Registry; clock: Clock; logger: Logger; leader: LeaderElection; leaseSeconds: number },
): RetrainScheduler {
  const { forecasts, training, registry, clock, logger } = deps;
  const { schedule, timezone, jitter } = config.training;
  const leader = schedule === undefined ? null : deps.leader;
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
    leaderRenewMs: (deps.leaseSeconds * 1000) / 3,
    clock,
    logger: logger.child({ component: 'training' }),
    metrics: createRetrainMetrics(registry, () => ({ records: scheduler.history.all(), leader: scheduler.leader() })),
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
    lastSampleMs: async () => (await store.last(series.name))?.t ?? null,
    clock,
    logger: logger.child({ component: 'demo' }),
  });
}
