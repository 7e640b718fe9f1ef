import type { AccuracyTracker } from '../accuracy/accuracy-tracker';
import type { Config } from '../config/schema';
import { PrescaleError } from '../errors/prescale-error';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { HistoryStore } from '../store/history-store';
import { readHistoryWindowSteps } from '../store/history-window';
import { applyRetention } from '../store/retention';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { Clock } from '../time/clock';
import type { ForecastCache } from './cached-forecast';
import type { ForecastRunner } from './forecast-runner';
import { fitWithFallback } from './fit-with-fallback';
import { applyObservationFloor } from './observation-floor';
import { RefreshScheduler } from './refresh-scheduler';
import type { SeriesCatalog } from './series-catalog';
import { servingHorizonSteps } from './serving-horizon';

export interface ForecastRefresherDeps {
  config: Readonly<Config>;
  catalog: SeriesCatalog;
  store: HistoryStore;
  cache: ForecastCache;
  runner: ForecastRunner;
  clock: Clock;
  logger: Logger;
  metrics: Pick<ServiceMetrics, 'refreshDuration' | 'refreshFailures' | 'fallbacks'>;
  trained?: TrainedModels | undefined;
  /** Live accuracy: told of every cached forecast, with the history it was made from. */
  accuracy?: Pick<AccuracyTracker, 'observe'> | undefined;
}

/**
 * Keeps the forecast cache fresh: schedules refreshes (debounced and serialised per series,
 * see `RefreshScheduler`), fits each series on its history window, writes the cache, applies
 * sample retention, and remembers the last error per series. A failed refresh leaves the
 * previous forecast serving (safety rule 4).
 */
export class ForecastRefresher {
  private readonly scheduler: RefreshScheduler;
  /** The error of the last refresh per series; null after a success. */
  private readonly lastError = new Map<string, Error | null>();
  private initialPassDone = false;

  constructor(private readonly deps: ForecastRefresherDeps) {
    // At most one step between refreshes, however steadily a series is pushed.
    this.scheduler = new RefreshScheduler((name) => this.refresh(name), {
      debounceMs: deps.config.forecast.refreshDebounce * 1000,
      maxWaitMs: (name) => deps.catalog.get(name).step * 1000,
    });
  }

  /** Schedules a refresh after the debounce delay. @throws {PrescaleError} SERIES_NOT_FOUND. */
  request(name: string): void {
    this.deps.catalog.get(name);
    this.scheduler.request(name);
  }

  /** Refreshes every series once; readiness waits for this first pass. */
  async refreshAll(): Promise<void> {
    await Promise.all(this.deps.catalog.names().map((name) => this.scheduler.runNow(name)));
    this.initialPassDone = true;
  }

  /**
   * Refits one series now (after any refresh in flight) and reports failure, which a
   * background refresh only logs. On failure the previous forecast keeps serving.
   * @throws the refit's error (e.g. INSUFFICIENT_HISTORY); SERIES_NOT_FOUND; FORECAST_NOT_READY without samples.
   */
  async refit(name: string): Promise<void> {
    this.deps.catalog.get(name);
    await this.scheduler.runNow(name);
    const err = this.lastError.get(name);
    if (err) throw err;
    if (!this.deps.cache.get(name)) throw new PrescaleError('FORECAST_NOT_READY', `series "${name}" has no samples to fit yet`);
  }

  /** True once the first refresh of every series has finished. */
  isReady(): boolean {
    return this.initialPassDone;
  }

  /** Cancels pending refreshes and waits for running ones. */
  async close(): Promise<void> {
    await this.scheduler.close();
  }

  /** Reads history, fits, predicts and caches; on failure the previous forecast keeps serving. */
  private async refresh(name: string): Promise<void> {
    const { catalog, store, cache, clock, metrics, logger, runner, trained } = this.deps;
    const config = catalog.get(name);
    const last = store.last(name);
    // Nothing to fit yet: not a failure, and not a refresh worth timing.
    if (!last) return;
    const endTimer = metrics.refreshDuration.startTimer({ series: name });
    try {
      // Folded onto the step off this thread: a raw read of a long history would hold serving for seconds.
      const { series } = await readHistoryWindowSteps(store, config, last);
      // Reach `horizon` past now even while the series is a few steps late.
      const horizonSteps = servingHorizonSteps(config);
      const { forecast, fallbackReason } = await fitWithFallback(
        { runner, model: this.deps.config.forecast.model, trained, metrics, logger },
        config,
        { series, horizonSteps, previous: cache.get(name), nowMs: clock.now() },
      );
      const { observationFloor, observationFloorHorizon } = this.deps.config.forecast;
      const served = observationFloor ? applyObservationFloor(forecast, last, observationFloorHorizon) : forecast;
      // Scores the forecasts cached before against this history, then remembers this one.
      this.deps.accuracy?.observe(name, series, served);
      cache.set({
        series: name,
        forecast: served,
        generatedAtMs: clock.now(),
        lastObserved: last,
        ...(fallbackReason !== undefined ? { fallbackReason } : {}),
      });
      // Retention runs after a successful fit only, so a failing series keeps everything it had.
      applyRetention(store, config, { nowMs: clock.now(), retentionSeconds: this.deps.config.storage.retention });
      this.lastError.set(name, null);
    } catch (err) {
      this.lastError.set(name, err instanceof Error ? err : new Error(String(err)));
      const code = (err as { code?: string }).code ?? 'INTERNAL';
      metrics.refreshFailures.inc({ series: name, code });
      logger.warn({ series: name, err }, 'forecast refresh failed; the previous forecast keeps serving');
    } finally {
      endTimer();
    }
  }
}
