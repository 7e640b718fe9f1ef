import type { RegularSeries } from '../../models/core/forecaster';
import { fitKindFor } from '../../models/model-kinds';
import { SEASONAL_NAIVE } from '../../models/seasonal-naive/seasonal-naive';
import type { AccuracyTracker } from '../accuracy/accuracy-tracker';
import type { Config, SeriesConfig } from '../config/schema';
import { PrescaleError } from '../errors/prescale-error';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { Sample } from '../series/sample';
import type { HistoryStore } from '../store/history-store';
import { readHistoryWindowSteps } from '../store/history-window';
import { applyRetention } from '../store/retention';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { Clock } from '../time/clock';
import type { ForecastCache } from './cached-forecast';
import { type ForecastRunner, runForecastJob } from './forecast-runner';
import { type FitResult, fitWithFallback } from './fit-with-fallback';
import { KeptModelRefresh } from './kept-model-refresh';
import type { NewestSamples } from './newest-samples';
import { keptModelLadder } from './kept-model-ladder';
import { applyObservationFloor } from './observation-floor';
import { RefitSchedule } from './refit-schedule';
import { RefreshScheduler } from './refresh-scheduler';
import type { SeriesCatalog } from './series-catalog';
import type { SeriesTally } from './series-tally';
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
  /** Told how many samples retention deleted, so the in-memory counts follow. */
  tally?: Pick<SeriesTally, 'deleted'> | undefined;
  /**
   * The newest-sample memo the ingest gateway keeps current (it learns of every write before
   * the refresh the write requests, and of other replicas' writes). A refresh takes its
   * newest sample from here instead of reading it from the store: one store round trip less
   * per refresh (at 10,000 series, 10,000 a minute). Absent: every refresh reads the store.
   */
  newest?: Pick<NewestSamples, 'peek' | 'load'> | undefined;
  /** Live accuracy: told of every cached forecast, with the recent history it is scored on. */
  accuracy?: Pick<AccuracyTracker, 'observe'> | undefined;
}

/**
 * Refreshes of all series running at once, per worker. Enough that the conditionings queued
 * behind a refit (hundreds of ms on a worker) are many, so they keep their pace while refits
 * run; few enough that their reads stay small (a conditioning reads hours, not weeks).
 */
const REFRESHES_PER_WORKER = 64;
/** Retention deletes run at most this often per series: a delete per refresh would be a write per sample. */
const RETENTION_EVERY_MS = 3_600_000;
/** History a bridge forecast reads: seasonal-naive needs more than a day for its daily cycle, and live accuracy scores on the same read. */
const BRIDGE_HISTORY_SECONDS = 26 * 3600;
/**
 * History live accuracy scores on when the refresh itself read less (a conditioned model reads
 * hours): the targets of the last refreshes plus a day behind them for the seasonal-naive
 * reference the gate compares against.
 */
const SCORING_HISTORY_SECONDS = 26 * 3600;
/** How often scoring reads the full window, from which live accuracy takes the scale of its errors (as the backtest does). */
const SCORING_SCALE_EVERY_MS = 24 * 3_600_000;

/**
 * Keeps the forecast cache fresh: schedules refreshes (debounced and serialised per series,
 * bounded in number, see `RefreshScheduler`), forecasts each series, writes the cache, applies
 * sample retention, and remembers the last error per series. A failed refresh leaves the
 * previous forecast serving (safety rule 4).
 *
 * With a runner that keeps fitted models (`ForecastRunner.step`), a refresh conditions the
 * series' kept model on its newest samples and refits only on the refit schedule
 * (`KeptModelRefresh`); with one that does not, every refresh refits on the full window.
 */
export class ForecastRefresher {
  private readonly scheduler: RefreshScheduler;
  private readonly kept: KeptModelRefresh | null;
  /** The error of the last refresh per series; null after a success. */
  private readonly lastError = new Map<string, Error | null>();
  private readonly retainedAtMs = new Map<string, number>();
  private readonly scaledAtMs = new Map<string, number>();
  private initialPassDone = false;

  constructor(private readonly deps: ForecastRefresherDeps) {
    const workers = deps.config.forecast.workers;
    // At most one step between refreshes, however steadily a series is pushed.
    this.scheduler = new RefreshScheduler((name) => this.refresh(name), {
      debounceMs: deps.config.forecast.refreshDebounce * 1000,
      maxWaitMs: (name) => deps.catalog.get(name).step * 1000,
      concurrency: Math.max(1, workers) * REFRESHES_PER_WORKER,
    });
    const step = deps.runner.step?.bind(deps.runner);
    this.kept = step
      ? new KeptModelRefresh({
          step,
          store: deps.store,
          schedule: new RefitSchedule({ schedule: deps.config.training.schedule, timezone: deps.config.training.timezone }),
          refitSlots: workers,
          // A backlog refit goes ahead of the refreshes queued for a turn: the forecast worker waits for it.
          refreshNow: (name) => void this.scheduler.runNow(name, { first: true }),
          bridge: (config, input) => this.bridge(config, input.last, input.horizonSteps),
          // One read per refresh: the conditioning's history is also what live accuracy scores on.
          ...(deps.accuracy ? { minConditionReadSeconds: SCORING_HISTORY_SECONDS } : {}),
        })
      : null;
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
    this.kept?.forceRefit(name);
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

  /** Forecasts and caches; on failure the previous forecast keeps serving. */
  private async refresh(name: string): Promise<void> {
    const { catalog, cache, clock, metrics, logger } = this.deps;
    const config = catalog.get(name);
    const pumpedAtStart = this.kept?.refreshStarted(name) ?? false;
    try {
      const last = await this.newestSample(name);
      // Nothing to fit yet: not a failure, and not a refresh worth timing.
      if (!last) return;
      const endTimer = metrics.refreshDuration.startTimer();
      let timed = false;
      try {
        const { forecast, fallbackReason, series } = await this.forecast(config, last);
        const { observationFloor, observationFloorHorizon } = this.deps.config.forecast;
        const served = observationFloor ? applyObservationFloor(forecast, last, observationFloorHorizon) : forecast;
        // Scores the forecasts cached before against recent history, then remembers this one.
        if (this.deps.accuracy) this.deps.accuracy.observe(name, await this.scoringHistory(config, last, series), served);
        cache.set({
          series: name,
          forecast: served,
          generatedAtMs: clock.now(),
          lastObserved: last,
          ...(fallbackReason !== undefined ? { fallbackReason } : {}),
        });
        // Timed up to the cache write (retention is not part of it), in the same turn, so whoever sees the forecast sees its timing.
        endTimer({ outcome: fallbackReason !== undefined ? 'fallback' : 'forecast' });
        timed = true;
        // Retention runs after a successful refresh only, so a failing series keeps everything it had.
        await this.retain(config);
        this.lastError.set(name, null);
      } catch (err) {
        this.lastError.set(name, err instanceof Error ? err : new Error(String(err)));
        const code = (err as { code?: string }).code ?? 'INTERNAL';
        metrics.refreshFailures.inc({ series: name, code });
        logger.warn({ series: name, err }, 'forecast refresh failed; the previous forecast keeps serving');
      } finally {
        if (!timed) endTimer({ outcome: 'failed' });
      }
    } finally {
      this.kept?.refreshEnded(name, pumpedAtStart);
    }
  }

  /** The forecast, and the full history window when this refresh read one (a refit without kept models). */
  private async forecast(config: SeriesConfig, last: Sample): Promise<FitResult & { series?: RegularSeries }> {
    const { store, cache, clock, metrics, logger, runner, trained } = this.deps;
    // Reach `horizon` past now even while the series is a few steps late.
    const horizonSteps = servingHorizonSteps(config);
    const input = { last, horizonSteps, previous: cache.get(config.name), nowMs: clock.now() };
    // `auto` fits its starting kind until training promotes the winner of the held-out backtest.
    const model = fitKindFor(this.deps.config.forecast.model);
    if (this.kept) return keptModelLadder({ kept: this.kept, runner, store, model, trained, metrics, logger }, config, input);
    // Folded onto the step off this thread: a raw read of a long history would hold serving for seconds.
    const { series } = await readHistoryWindowSteps(store, config, last);
    return { ...(await fitWithFallback({ runner, model, trained, metrics, logger }, config, { series, horizonSteps, previous: input.previous, nowMs: input.nowMs })), series };
  }

  /**
   * A day and more of history to score on: what the refresh read when that is enough. The
   * error scale of live accuracy is the backtest's (the full window's), which a refit's read
   * brings; a series that went a day without one reads the full window once.
   */
  private async scoringHistory(config: SeriesConfig, last: Sample, read: RegularSeries | undefined): Promise<RegularSeries> {
    const nowMs = this.deps.clock.now();
    const readSeconds = read ? read.values.length * config.step : 0;
    // The grid starts at the first sample's step, so a read of `history` seconds spans up to one step less.
    if (read && readSeconds + config.step >= config.history) {
      this.scaledAtMs.set(config.name, nowMs);
      return read;
    }
    const at = this.scaledAtMs.get(config.name);
    // A series' first refreshes (a bridge, a conditioning after a restart) score on what they read; its refit brings the full window soon.
    if (at === undefined) this.scaledAtMs.set(config.name, nowMs);
    const fullDue = at !== undefined && nowMs - at >= SCORING_SCALE_EVERY_MS;
    const history = fullDue ? config.history : Math.min(config.history, SCORING_HISTORY_SECONDS);
    if (read && !fullDue && readSeconds + config.step >= history) return read;
    if (fullDue) this.scaledAtMs.set(config.name, nowMs);
    const { series } = await readHistoryWindowSteps(this.deps.store, { ...config, history }, last);
    return series;
  }

  /**
   * A stand-in forecast for a series whose first fit waits behind many others: seasonal-naive
   * on its last two days (a few milliseconds), labelled, until the configured model is fitted.
   */
  private async bridge(config: SeriesConfig, last: Sample, horizonSteps: number): Promise<FitResult> {
    const { series } = await readHistoryWindowSteps(this.deps.store, { ...config, history: Math.min(config.history, BRIDGE_HISTORY_SECONDS) }, last);
    // On this thread: seasonal-naive on a day costs about a millisecond, and on the
    // worker it would wait behind the very fit it stands in for (hundreds of milliseconds).
    const forecast = await runForecastJob({ model: SEASONAL_NAIVE, series, horizonSteps, quantiles: config.quantiles, seasonalities: config.seasonalities });
    this.deps.metrics.fallbacks.inc({ series: config.name, reason: 'warming_up' });
    const waiting = this.kept?.backlogSize ?? 0;
    return { forecast, series, fallbackReason: `warming up: the first fit of ${fitKindFor(this.deps.config.forecast.model)} waits behind ${waiting} others; ${SEASONAL_NAIVE} answers meanwhile` };
  }

  private async newestSample(name: string): Promise<Sample | null> {
    const { newest, store } = this.deps;
    if (!newest) return store.last(name);
    const known = newest.peek(name);
    return known !== undefined ? known : newest.load(name);
  }

  private async retain(config: SeriesConfig): Promise<void> {
    const nowMs = this.deps.clock.now();
    const at = this.retainedAtMs.get(config.name);
    if (at !== undefined && nowMs - at < RETENTION_EVERY_MS) return;
    this.retainedAtMs.set(config.name, nowMs);
    const deleted = await applyRetention(this.deps.store, config, { nowMs, retentionSeconds: this.deps.config.storage.retention });
    this.deps.tally?.deleted(config.name, deleted);
    // A series silent for longer than the retention may have lost its newest sample too.
    if (deleted > 0) await this.deps.newest?.load(config.name);
  }
}
