import { PrescaleError } from '../errors/prescale-error';
import type { Sample } from '../series/sample';
import { alignToStep } from '../series/regularize';
import type { HistoryStore } from '../store/history-store';
import type { Clock } from '../time/clock';
import type { CachedForecast, ForecastCache } from './cached-forecast';
import type { NewestSamples } from './newest-samples';
import { type PublishedForecast, lastObservationOnly, publishForecast } from './published-forecast';
import type { SeriesCatalog } from './series-catalog';
import type { SeriesTally } from './series-tally';
import { type Freshness, freshness } from './series-freshness';
import { fallBackToLastObservation } from './stale-fallback';
import { fallBackToReactive } from './trust-fallback';
import { reactiveDemand } from './reactive-demand';
import type { TrustFallback } from '../accuracy/accuracy-tracker';

export interface ForecastReaderDeps {
  catalog: SeriesCatalog;
  store: HistoryStore;
  cache: ForecastCache;
  newest: NewestSamples;
  tally: SeriesTally;
  clock: Clock;
  /** The trust gates of live accuracy; without it no series falls back for accuracy. */
  trust?: { fallback(name: string): TrustFallback | undefined } | undefined;
}

/** One page of the series listing, and where the next one starts. */
export interface SeriesPage {
  series: SeriesSummary[];
  /** Name of the last series listed when more follow; null on the last page. */
  lastListed: string | null;
}

/** One configured series as listed by `GET /v1/series`. Times are epoch ms. */
export interface SeriesSummary {
  name: string;
  stepSeconds: number;
  kind: string;
  timezone: string;
  /** Stored samples; null while the count is not known yet (it is learnt in the background after a start). */
  count: number | null;
  firstMs: number | null;
  lastMs: number | null;
  freshness: Freshness;
  hasForecast: boolean;
}

interface PublishedView {
  cached: CachedForecast | undefined;
  last: Sample | null;
  fromMs: number;
  stale: boolean;
  trust: TrustFallback | undefined;
  view: PublishedForecast;
}

/**
 * Answers every read from the cache and the store, never from a model: the published
 * forecast (with the stale fallback of safety rule 2), stored history, and series summaries.
 * A series with samples always has a forecast view (docs/degradation.md): the cached
 * forecast, filled with the last observation past its end, or the last observation alone
 * when no model has answered yet; only a series without any sample has none.
 */
export class ForecastReader {
  private readonly views = new Map<string, PublishedView>();

  constructor(private readonly deps: ForecastReaderDeps) {}

  /**
   * The forecast from the current step to `horizonSeconds` ahead (default: the series' horizon).
   * @throws {PrescaleError} SERIES_NOT_FOUND; FORECAST_NOT_READY only when the series has no sample at all; INVALID_INPUT for a horizon beyond the configured one.
   */
  forecast(name: string, horizonSeconds?: number): PublishedForecast {
    const config = this.deps.catalog.get(name);
    const horizon = horizonSeconds ?? config.horizon;
    if (horizon > config.horizon) {
      throw new PrescaleError('INVALID_INPUT', `horizon: ${horizon}s exceeds the configured horizon of series "${name}" (${config.horizon}s)`, 'horizon');
    }
    const cached = this.deps.cache.get(name);
    const last = this.deps.newest.get(name);
    // `last` is null with a cached forecast only when retention removed every sample since.
    const newest = last ?? cached?.lastObserved;
    if (!newest) throw new PrescaleError('FORECAST_NOT_READY', `series "${name}" has no samples yet: there is nothing to forecast from`);
    const nowMs = this.deps.clock.now();
    const { stale } = freshness(last, nowMs, { stepSeconds: config.step, staleAfter: config.staleAfter });
    // The HPA, KEDA and people ask for the same view many times per step: it only changes
    // with a new forecast, a new sample, the next step or a change of staleness.
    const key = `${name}|${horizon}`;
    const fromMs = alignToStep(nowMs, config.step);
    const trust = this.deps.trust?.fallback(name);
    const memo = this.views.get(key);
    if (memo && memo.cached === cached && memo.last === last && memo.fromMs === fromMs && memo.stale === stale && memo.trust === trust) return memo.view;
    const source = cached ?? lastObservationOnly(name, newest, { stepSeconds: config.step, nowMs });
    const published = publishForecast(source, config, { nowMs, horizonSeconds: horizon, stale, last: newest });
    const floored = stale ? fallBackToLastObservation(published, newest) : published;
    // The trust gate comes last: flat at the reactive demand (at least the last observation) is at or above a stale view's floor.
    const view = trust ? fallBackToReactive(floored, newest, trust, reactiveDemand(trust.recent?.samples ?? [], newest, trust.recent?.windowSeconds ?? 0)) : floored;
    this.views.set(key, { cached, last, fromMs, stale, trust, view });
    return view;
  }

  /**
   * Stored samples of a configured series in `[fromMs, toMs]`, oldest first; `toMs` defaults
   * to now and `fromMs` to `defaultSpanMs` before it.
   * @throws {PrescaleError} SERIES_NOT_FOUND, or INVALID_INPUT when `from` is after `to`.
   */
  async history(name: string, range: { fromMs?: number; toMs?: number; defaultSpanMs: number }): Promise<Sample[]> {
    this.deps.catalog.get(name);
    const toMs = range.toMs ?? this.deps.clock.now();
    const fromMs = range.fromMs ?? toMs - range.defaultSpanMs;
    if (fromMs > toMs) throw new PrescaleError('INVALID_INPUT', 'from: must not be after "to"', 'from');
    return this.deps.store.read(name, { fromMs, toMs });
  }

  /** Every configured series, in config order, from memory (see {@link listPage}). */
  listSeries(): SeriesSummary[] {
    return this.listPage({ limit: Number.POSITIVE_INFINITY }).series;
  }

  /**
   * Up to `limit` series in config order, after the series named `after` (from the start
   * without it). Answered from memory: counts from the tally, the newest sample from the memo.
   * @throws {PrescaleError} INVALID_INPUT (field `continue`) when `after` is not a configured series.
   */
  listPage(options: { limit: number; after?: string | undefined }): SeriesPage {
    const { catalog } = this.deps;
    let from = 0;
    if (options.after !== undefined) {
      const at = catalog.positionOf(options.after);
      if (at === undefined) throw new PrescaleError('INVALID_INPUT', 'continue: the token names a series that is no longer configured; list again from the start', 'continue');
      from = at + 1;
    }
    const to = Math.min(catalog.size, from + options.limit);
    const nowMs = this.deps.clock.now();
    const series = catalog.slice(from, to).map((config) => this.summary(config, nowMs));
    return { series, lastListed: to < catalog.size ? (series.at(-1)?.name ?? null) : null };
  }

  private summary(config: ReturnType<SeriesCatalog['get']>, nowMs: number): SeriesSummary {
    const last = this.deps.newest.get(config.name);
    const tally = this.deps.tally.get(config.name);
    return {
      name: config.name,
      stepSeconds: config.step,
      kind: config.kind,
      timezone: config.timezone,
      count: tally?.count ?? (last ? null : 0),
      firstMs: tally?.firstMs ?? null,
      lastMs: last?.t ?? null,
      freshness: freshness(last, nowMs, { stepSeconds: config.step, staleAfter: config.staleAfter }),
      hasForecast: this.deps.cache.get(config.name) !== undefined,
    };
  }
}
