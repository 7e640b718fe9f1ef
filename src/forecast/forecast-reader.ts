import { PrescaleError } from '../errors/prescale-error';
import type { Sample } from '../series/sample';
import { alignToStep } from '../series/regularize';
import type { HistoryStore } from '../store/history-store';
import type { Clock } from '../time/clock';
import type { CachedForecast, ForecastCache } from './cached-forecast';
import type { NewestSamples } from './newest-samples';
import { type PublishedForecast, lastObservationOnly, publishForecast } from './published-forecast';
import type { SeriesCatalog } from './series-catalog';
import { type Freshness, freshness } from './series-freshness';
import { fallBackToLastObservation } from './stale-fallback';
import { fallBackToReactive } from './trust-fallback';
import type { TrustFallback } from '../accuracy/accuracy-tracker';

export interface ForecastReaderDeps {
  catalog: SeriesCatalog;
  store: HistoryStore;
  cache: ForecastCache;
  newest: NewestSamples;
  clock: Clock;
  /** The trust gates of live accuracy; without it no series falls back for accuracy. */
  trust?: { fallback(name: string): TrustFallback | undefined } | undefined;
}

/** One configured series as listed by `GET /v1/series`. Times are epoch ms. */
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
    // The trust gate comes last: flat at the last observation is at or above a stale view's floor.
    const view = trust ? fallBackToReactive(floored, newest, trust) : floored;
    this.views.set(key, { cached, last, fromMs, stale, trust, view });
    return view;
  }

  /**
   * Stored samples of a configured series in `[fromMs, toMs]`, oldest first; `toMs` defaults
   * to now and `fromMs` to `defaultSpanMs` before it.
   * @throws {PrescaleError} SERIES_NOT_FOUND, or INVALID_INPUT when `from` is after `to`.
   */
  history(name: string, range: { fromMs?: number; toMs?: number; defaultSpanMs: number }): Sample[] {
    this.deps.catalog.get(name);
    const toMs = range.toMs ?? this.deps.clock.now();
    const fromMs = range.fromMs ?? toMs - range.defaultSpanMs;
    if (fromMs > toMs) throw new PrescaleError('INVALID_INPUT', 'from: must not be after "to"', 'from');
    return this.deps.store.read(name, { fromMs, toMs });
  }

  /** Every configured series, in config order, with what the store and the cache hold for it. */
  listSeries(): SeriesSummary[] {
    const nowMs = this.deps.clock.now();
    const stats = new Map(this.deps.store.allStats().map((s) => [s.name, s]));
    return this.deps.catalog.all().map((config) => {
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
        hasForecast: this.deps.cache.get(config.name) !== undefined,
      };
    });
  }
}
