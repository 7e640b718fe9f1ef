import type { AccuracyTracker } from '../accuracy/accuracy-tracker';
import type { Config, SeriesConfig } from '../config/schema';
import type { TrainedModels } from '../model-catalog/model-catalog';
import type { Sample } from '../series/sample';
import type { HistoryStore } from '../store/history-store';
import type { Logger } from '../telemetry/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { SeriesState } from '../telemetry/state-gauges';
import type { Clock } from '../time/clock';
import { ForecastCache } from './cached-forecast';
import { ForecastReader, type SeriesPage, type SeriesSummary } from './forecast-reader';
import { ForecastRefresher } from './forecast-refresher';
import type { ForecastRunner } from './forecast-runner';
import { IngestGateway } from './ingest-gateway';
import { NewestSamples } from './newest-samples';
import type { PublishedForecast } from './published-forecast';
import { SeriesCatalog } from './series-catalog';
import { seriesStates } from './series-states';
import { SeriesTally } from './series-tally';

export type { SeriesPage, SeriesSummary } from './forecast-reader';

export interface ForecastServiceDeps {
  config: Readonly<Config>;
  store: HistoryStore;
  runner: ForecastRunner;
  clock: Clock;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Promoted trained models (the registry); without it every refresh fits `forecast.model`. */
  trained?: TrainedModels;
  /** Live accuracy and trust gates; without it forecasts are not scored and never gated. */
  accuracy?: AccuracyTracker;
}

/**
 * The forecast pipeline as one object for the transports: takes samples in, keeps one
 * forecast per series fresh in the cache, and answers reads from the cache only. It owns
 * no logic: it wires the catalog, the ingest gateway, the refresher and the reader, which
 * share one cache and one newest-sample memo, and forwards each call to one of them.
 */
export class ForecastService {
  readonly cache = new ForecastCache();
  private readonly catalog: SeriesCatalog;
  private readonly gateway: IngestGateway;
  private readonly refresher: ForecastRefresher;
  private readonly reader: ForecastReader;
  private readonly newest: NewestSamples;
  private readonly tally: SeriesTally;

  constructor(private readonly deps: ForecastServiceDeps) {
    const { config, store, runner, clock, logger, metrics, trained, accuracy } = deps;
    const catalog = new SeriesCatalog(config.series);
    const newest = new NewestSamples(store);
    const tally = new SeriesTally(store, catalog.names());
    this.newest = newest;
    this.catalog = catalog;
    this.tally = tally;
    this.refresher = new ForecastRefresher({ config, catalog, store, cache: this.cache, runner, clock, logger, metrics, trained, tally, newest, accuracy });
    this.gateway = new IngestGateway({ catalog, store, newest, tally, metrics, onChanged: (name) => this.refresher.request(name) });
    this.reader = new ForecastReader({ catalog, store, cache: this.cache, newest, tally, clock, trust: accuracy });
    // A new promoted model serves from the next refresh, not the next sample.
    trained?.onPromotedChange((series) => this.requestRefresh(series));
    // A shared store (PostgreSQL) reports other replicas' writes: serve them from the next refresh too.
    store.onExternalChange?.((series) => {
      this.gateway.changedElsewhere(series).catch((err: unknown) => logger.warn({ err, series }, 'could not read a change made by another replica; the next notification or refresh retries'));
    });
  }

  /** The config of a series. @throws {PrescaleError} SERIES_NOT_FOUND. */
  seriesConfig(name: string): SeriesConfig {
    return this.catalog.get(name);
  }

  seriesNames(): string[] {
    return this.catalog.names();
  }

  /** Stores samples durably, then schedules a refresh. @throws {PrescaleError} SERIES_NOT_FOUND. */
  ingest(name: string, samples: readonly Sample[]): Promise<{ stored: number; changed: number }> {
    return this.gateway.ingest(name, samples);
  }

  /** Schedules a refresh, e.g. after the promoted model of the series changed. @throws {PrescaleError} SERIES_NOT_FOUND. */
  requestRefresh(name: string): void {
    this.refresher.request(name);
  }

  /** Refreshes every series once; readiness waits for this first pass. */
  async refreshAll(): Promise<void> {
    // Serving reads the newest samples from memory: know them all before the first pass.
    await this.newest.loadAll(this.catalog.names());
    await this.refresher.refreshAll();
  }

  /** See `ForecastRefresher.refit`. @throws the refit's error; SERIES_NOT_FOUND; FORECAST_NOT_READY. */
  refit(name: string): Promise<void> {
    return this.refresher.refit(name);
  }

  /** True once the first refresh of every series has finished. */
  isReady(): boolean {
    return this.refresher.isReady();
  }

  /** See `ForecastReader.forecast`. @throws {PrescaleError} SERIES_NOT_FOUND, FORECAST_NOT_READY, INVALID_INPUT. */
  forecast(name: string, horizonSeconds?: number): PublishedForecast {
    return this.reader.forecast(name, horizonSeconds);
  }

  /** See `ForecastReader.history`. @throws {PrescaleError} SERIES_NOT_FOUND, INVALID_INPUT. */
  history(name: string, range: { fromMs?: number; toMs?: number; defaultSpanMs: number }): Promise<Sample[]> {
    return this.reader.history(name, range);
  }

  /** Every configured series, from memory. */
  listSeries(): SeriesSummary[] {
    return this.reader.listSeries();
  }

  /** See `ForecastReader.listPage`. @throws {PrescaleError} INVALID_INPUT (field `continue`). */
  listPage(options: { limit: number; after?: string | undefined }): SeriesPage {
    return this.reader.listPage(options);
  }

  /** Resolves once every series' sample count is known (they are learnt in the background after a start). */
  countsSettled(): Promise<void> {
    return this.tally.settled();
  }

  /** Current per-series state for the scrape-time gauges. */
  seriesState(): Promise<SeriesState[]> {
    return seriesStates({ reader: this.reader, cache: this.cache, clock: this.deps.clock });
  }

  async close(): Promise<void> {
    this.tally.close();
    await this.refresher.close();
  }
}
