import { InsufficientHistoryError } from '../../models/core/forecaster';
import { SEASONAL_NAIVE } from '../../models/seasonal-naive/seasonal-naive';
import type { Config, SeriesConfig } from '../config/schema';
import { PrescaleError } from '../errors/prescale-error';
import type { Sample } from '../series/sample';
import { alignToStep, regularize } from '../series/regularize';
import type { HistoryStore } from '../store/history-store';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { SeriesState } from '../telemetry/state-gauges';
import type { Clock } from '../time/clock';
import { type CachedForecast, ForecastCache } from './cached-forecast';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { ForecastRunner } from './forecast-runner';
import { applyObservationFloor } from './observation-floor';
import { type PublishedForecast, publishForecast } from './published-forecast';
import { RefreshScheduler } from './refresh-scheduler';
import { servingHorizonSteps } from './serving-horizon';
import { fallBackToLastObservation } from './stale-fallback';
import { type Freshness, freshness } from './series-freshness';

export interface ForecastServiceDeps {
  config: Readonly<Config>;
  store: HistoryStore;
  runner: ForecastRunner;
  clock: Clock;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Promoted trained models (the registry); without it every refresh fits `forecast.model`. */
  trained?: TrainedModels;
}

export interface SeriesSummary {
  name: string;
  stepSeconds: number;
  kind: string;
  timezone: string;
  count: number;
  firstMs: number | null;
  lastMs: number | null;
  freshness: Freshness;
  hasForecast: boolean;
}

/**
 * The forecast pipeline of the service: takes samples in, keeps one forecast per series
 * fresh in the cache, and answers reads from the cache only. Every transport calls this.
 */
export class ForecastService {
  readonly cache = new ForecastCache();
  private readonly series: ReadonlyMap<string, SeriesConfig>;
  private readonly scheduler: RefreshScheduler;
  private readonly newest = new Map<string, Sample | null>();
  private readonly publishedViews = new Map<string, { cached: CachedForecast; last: Sample | null; fromMs: number; stale: boolean; view: PublishedForecast }>();
  private initialPassDone = false;
  /** The error of the last refresh per series; null after a success. */
  private readonly lastRefreshError = new Map<string, Error | null>();

  constructor(private readonly deps: ForecastServiceDeps) {
    this.series = new Map(deps.config.series.map((s) => [s.name, s]));
    this.scheduler = new RefreshScheduler((name) => this.refresh(name), deps.config.forecast.refreshDebounce * 1000);
    // A new promoted model serves from the next refresh, not the next sample.
    deps.trained?.onPromotedChange((series) => this.requestRefresh(series));
  }

  /** The config of a series. @throws {PrescaleError} SERIES_NOT_FOUND. */
  seriesConfig(name: string): SeriesConfig {
    const s = this.series.get(name);
    if (!s) throw new PrescaleError('SERIES_NOT_FOUND', `series "${name}" is not configured`, 'name');
    return s;
  }

  seriesNames(): string[] {
    return [...this.series.keys()];
  }

  /** Stores samples durably, then schedules a refresh. @throws {PrescaleError} SERIES_NOT_FOUND. */
  ingest(name: string, samples: readonly Sample[]): { stored: number; changed: number } {
    this.seriesConfig(name);
    const result = this.deps.store.append(name, samples);
    this.newest.delete(name);
    this.deps.metrics.samplesIngested.inc({ series: name }, result.stored);
    if (result.changed > 0) this.scheduler.request(name);
    return result;
  }

  /** Schedules a refresh, e.g. after the promoted model of the series changed. */
  requestRefresh(name: string): void {
    this.seriesConfig(name);
    this.scheduler.request(name);
  }

  /** Refreshes every series once; readiness waits for this first pass. */
  async refreshAll(): Promise<void> {
    await Promise.all(this.seriesNames().map((name) => this.scheduler.runNow(name)));
    this.initialPassDone = true;
  }

  /**
   * Refits one series now (after any refresh in flight) and reports failure, which a
   * background refresh only logs. On failure the previous forecast keeps serving.
   * @throws the refit's error (e.g. INSUFFICIENT_HISTORY); SERIES_NOT_FOUND.
   */
  async refit(name: string): Promise<void> {
    this.seriesConfig(name);
    await this.scheduler.runNow(name);
    const err = this.lastRefreshError.get(name);
    if (err) throw err;
    if (!this.cache.get(name)) throw new PrescaleError('FORECAST_NOT_READY', `series "${name}" has no samples to fit yet`);
  }

  /** True once the first refresh of every series has finished. */
  isReady(): boolean {
    return this.initialPassDone;
  }

  /**
   * The forecast from the current step to `horizonSeconds` ahead (default: the series' horizon).
   * @throws {PrescaleError} SERIES_NOT_FOUND, FORECAST_NOT_READY, or INVALID_INPUT for a horizon beyond the configured one.
   */
  forecast(name: string, horizonSeconds?: number): PublishedForecast {
    const config = this.seriesConfig(name);
    const horizon = horizonSeconds ?? config.horizon;
    if (horizon > config.horizon) {
      throw new PrescaleError('INVALID_INPUT', `horizon: ${horizon}s exceeds the configured horizon of series "${name}" (${config.horizon}s)`, 'horizon');
    }
    const cached = this.cache.get(name);
    if (!cached) throw new PrescaleError('FORECAST_NOT_READY', `series "${name}" has no forecast yet (too little history, or the first refresh is running)`);
    const nowMs = this.deps.clock.now();
    const last = this.newestSample(name);
    const { stale } = freshness(last, nowMs, { stepSeconds: config.step, staleAfter: config.staleAfter });
    // The HPA, KEDA and people ask for the same view many times per step: it only changes
    // with a new forecast, a new sample, the next step or a change of staleness.
    const key = `${name}|${horizon}`;
    const fromMs = alignToStep(nowMs, config.step);
    const memo = this.publishedViews.get(key);
    if (memo && memo.cached === cached && memo.last === last && memo.fromMs === fromMs && memo.stale === stale) return memo.view;
    const published = publishForecast(cached, config, { nowMs, horizonSeconds: horizon, stale });
    const view = stale && last ? fallBackToLastObservation(published, last) : published;
    this.publishedViews.set(key, { cached, last, fromMs, stale, view });
    return view;
  }

  /** The newest stored sample, kept in memory between writes (every write goes through `ingest`). */
  private newestSample(name: string): Sample | null {
    let last = this.newest.get(name);
    if (last === undefined) {
      last = this.deps.store.last(name);
      this.newest.set(name, last);
    }
    return last;
  }

  /**
   * Stored samples of a configured series in `[fromMs, toMs]`, oldest first; `toMs` defaults
   * to now and `fromMs` to `defaultSpanMs` before it.
   * @throws {PrescaleError} SERIES_NOT_FOUND, or INVALID_INPUT when `from` is after `to`.
   */
  history(name: string, range: { fromMs?: number; toMs?: number; defaultSpanMs: number }): Sample[] {
    this.seriesConfig(name);
    const toMs = range.toMs ?? this.deps.clock.now();
    const fromMs = range.fromMs ?? toMs - range.defaultSpanMs;
    if (fromMs > toMs) throw new PrescaleError('INVALID_INPUT', 'from: must not be after "to"', 'from');
    return this.deps.store.read(name, { fromMs, toMs });
  }

  listSeries(): SeriesSummary[] {
    const nowMs = this.deps.clock.now();
    const stats = new Map(this.deps.store.allStats().map((s) => [s.name, s]));
    return [...this.series.values()].map((config) => {
      const s = stats.get(config.name);
      return {
        name: config.name,
        stepSeconds: config.step,
        kind: config.kind,
        timezone: config.timezone,
        count: s?.count ?? 0,
        firstMs: s?.firstMs ?? null,
        lastMs: s?.lastMs ?? null,
        freshness: freshness(s ? { t: s.lastMs } : null, nowMs, { stepSeconds: config.step, staleAfter: config.staleAfter }),
        hasForecast: this.cache.get(config.name) !== undefined,
      };
    });
  }

  /** Current per-series state for the scrape-time gauges. */
  seriesState(): SeriesState[] {
    const nowMs = this.deps.clock.now();
    return this.listSeries().map((s) => {
      const cached = this.cache.get(s.name);
      return {
        series: s.name,
        forecastAgeSeconds: cached ? (nowMs - cached.generatedAtMs) / 1000 : null,
        sampleAgeSeconds: s.freshness.ageSeconds,
        stale: s.freshness.stale,
        nextValue: cached ? (this.forecast(s.name).points[0]?.value ?? null) : null,
      };
    });
  }

  async close(): Promise<void> {
    await this.scheduler.close();
  }

  /** Reads history, fits, predicts and caches; on failure the previous forecast keeps serving. */
  private async refresh(name: string): Promise<void> {
    const config = this.seriesConfig(name);
    const { store, metrics, logger } = this.deps;
    const last = store.last(name);
    if (!last) return;
    const endTimer = metrics.refreshDuration.startTimer({ series: name });
    try {
      const samples = store.read(name, { fromMs: last.t - config.history * 1000 });
      const series = regularize(samples, { stepSeconds: config.step, kind: config.kind, timezone: config.timezone });
      // Reach `horizon` past now even while the series is a few steps late.
      const horizonSteps = servingHorizonSteps(config);
      const { forecast, fallbackReason } = await this.runWithFallback(name, config, series, horizonSteps);
      const { observationFloor, observationFloorHorizon } = this.deps.config.forecast;
      this.cache.set({
        series: name,
        forecast: observationFloor ? applyObservationFloor(forecast, last, observationFloorHorizon) : forecast,
        generatedAtMs: this.deps.clock.now(),
        lastObserved: last,
        ...(fallbackReason !== undefined ? { fallbackReason } : {}),
      });
      store.deleteBefore(name, last.t - 2 * config.history * 1000);
      this.lastRefreshError.set(name, null);
    } catch (err) {
      this.lastRefreshError.set(name, err instanceof Error ? err : new Error(String(err)));
      const code = (err as { code?: string }).code ?? 'INTERNAL';
      metrics.refreshFailures.inc({ series: name, code });
      logger.warn({ series: name, err }, 'forecast refresh failed; the previous forecast keeps serving');
    } finally {
      endTimer();
    }
  }

  private async runWithFallback(
    name: string,
    config: SeriesConfig,
    series: ReturnType<typeof regularize>,
    horizonSteps: number,
  ): Promise<{ forecast: Awaited<ReturnType<ForecastRunner['run']>>; fallbackReason?: string }> {
    const job = { series, horizonSteps, quantiles: config.quantiles, seasonalities: config.seasonalities };
    const trained = this.deps.trained?.promoted(name);
    if (trained) {
      try {
        return { forecast: await this.deps.runner.run({ ...job, model: trained.artifact.kind, artifact: trained.artifact }) };
      } catch (err) {
        // The promoted model cannot serve this history (e.g. too short after a gap): fit the configured model instead.
        this.deps.metrics.fallbacks.inc({ series: name, reason: 'trained_model_failed' });
        this.deps.logger.warn({ series: name, version: trained.version, err }, 'promoted model failed; fitting the configured model');
      }
    }
    const model = this.deps.config.forecast.model;
    try {
      return { forecast: await this.deps.runner.run({ ...job, model }) };
    } catch (err) {
      if (!(err instanceof InsufficientHistoryError) || model === SEASONAL_NAIVE) throw err;
      this.deps.metrics.fallbacks.inc({ series: name, reason: 'insufficient_history' });
      this.deps.logger.info({ series: name, model, reason: err.message }, `falling back to ${SEASONAL_NAIVE}`);
      return { forecast: await this.deps.runner.run({ ...job, model: SEASONAL_NAIVE }), fallbackReason: err.message };
    }
  }
}
