import type { Forecast, RegularSeries } from '../../models/core/forecaster';
import type { SeriesConfig } from '../config/schema';
import type { Sample } from '../series/sample';
import { windowObservations } from '../forecast/reactive-demand';
import type { Logger } from '../telemetry/logger';
import type { Clock } from '../time/clock';
import type { AccuracySave, AccuracyStateStore, PersistedSeriesAccuracy } from './accuracy-state-store';
import { SeriesAccuracy } from './series-accuracy';
import { OPEN_GATE, type TrustFallbackReason, type TrustGateState, judgedEvidence, stepTrustGate, trustFallbackDetail } from './trust-gate';

/** The fallback a series' published view takes while its trust gate is engaged. */
export interface TrustFallback {
  reason: TrustFallbackReason;
  /** One line with the numbers (for `fallbackReason` and the plan reason). */
  detail: string;
  sinceMs: number;
  /**
   * The observations of the reactive-demand window at the last refresh (`windowSeconds`, the
   * observation-floor horizon), for the reader to publish their peak with the newest sample
   * (`reactiveDemand`, src/forecast/reactive-demand.ts). Absent before the first refresh after a restart
   * (the reader then publishes the newest sample).
   */
  recent?: { windowSeconds: number; samples: readonly Sample[] };
}

export interface AccuracyTrackerDeps {
  series: readonly SeriesConfig[];
  store: AccuracyStateStore;
  clock: Clock;
  logger: Logger;
  /** How often changed scores are saved, ms (default 30 s); `close()` saves the rest. */
  saveIntervalMs?: number;
  /** The reactive-demand window a gated series publishes the peak of (`forecast.observationFloorHorizon`; default 300 s). */
  reactiveWindowSeconds?: number;
}

/** Time between the starts of two saves, at least, as a multiple of how long the last one took. */
const SAVE_SPACING = 20;

interface Tracked {
  config: SeriesConfig;
  accuracy: SeriesAccuracy;
  gate: TrustGateState;
  /** The fallback object of the engaged gate: the same object until the gate changes, so views memoize on it. */
  fallback: TrustFallback | undefined;
}

/**
 * Live accuracy of every configured series and their trust gates. The forecast refresher
 * calls `observe` once per refresh, with the history it read and the forecast it cached;
 * readers ask `fallback` (the forecast reader), `series` (REST) and `all` (metrics, status).
 * Scores are saved through the `AccuracyStateStore` port at most every `saveIntervalMs` (and
 * never more than a twentieth of the time), off the refresh (a failed save is logged and
 * retried at the next interval), and on `close()`.
 */
export class AccuracyTracker {
  private readonly tracked = new Map<string, Tracked>();
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** No save starts before this (ms, the service clock): see `saveIfDirty`. */
  private nextSaveAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: AccuracyTrackerDeps) {
    for (const config of deps.series) this.tracked.set(config.name, fresh(config));
  }

  /**
   * Reads the saved scores (series no longer configured, or with other quantiles or step, start
   * empty). The core awaits it before the first forecast pass, and readiness waits for that pass.
   */
  async load(): Promise<void> {
    const saved = await this.deps.store.load();
    for (const [name, entry] of Object.entries(saved?.series ?? {})) {
      const t = this.tracked.get(name);
      // A series scored before the load finished (a push during start-up) keeps what it scored.
      if (!t || t.accuracy.pendingTargets() > 0) continue;
      t.accuracy = new SeriesAccuracy(t.config.quantiles, t.config.step, entry.accuracy);
      t.gate = entry.gate;
      t.fallback = fallbackOf(t);
    }
    const every = this.deps.saveIntervalMs ?? 30_000;
    this.timer = setInterval(() => void this.saveIfDirty(), every);
    this.timer.unref();
  }

  /**
   * Scores what `history` settles, remembers `forecast` and steps the gate. Cheap and
   * synchronous: O(history) for the scale plus O(horizon) per refresh.
   */
  observe(name: string, history: RegularSeries, forecast: Forecast): void {
    const t = this.tracked.get(name);
    if (!t) return;
    const nowMs = this.deps.clock.now();
    t.accuracy.observe(history, forecast, nowMs);
    this.dirty = true;
    const gateConfig = t.config.trustGate;
    const upper = t.config.quantiles[t.config.quantiles.length - 1] as number;
    const next = stepTrustGate(t.gate, judgedEvidence(t.accuracy, t.config.quantiles, gateConfig, nowMs), { config: gateConfig, upperQuantile: upper, nowMs });
    const changed = next.engaged !== t.gate.engaged || next.reason !== t.gate.reason;
    t.gate = next;
    // While engaged, a new object per refresh: it carries this refresh's reactive-demand window.
    if (changed || t.fallback) t.fallback = fallbackOf(t, history, this.deps.reactiveWindowSeconds ?? 300);
    if (changed) {
      const log = { series: name, reason: next.reason, maseRatio: next.maseRatio, coverage: next.coverage };
      if (next.engaged) this.deps.logger.warn(log, 'trust gate engaged: the series publishes the reactive demand (peak observation over the observation-floor window) until live accuracy recovers');
      else this.deps.logger.info(log, 'trust gate released: the series publishes its forecast again');
    }
  }

  /** The fallback while the series' gate is engaged, else undefined. */
  fallback(name: string): TrustFallback | undefined {
    return this.tracked.get(name)?.fallback;
  }

  /** The live accuracy and gate of one series; undefined for an unknown name. */
  series(name: string): { config: SeriesConfig; accuracy: SeriesAccuracy; gate: TrustGateState } | undefined {
    return this.tracked.get(name);
  }

  /** Every series in config order. */
  all(): { config: SeriesConfig; accuracy: SeriesAccuracy; gate: TrustGateState }[] {
    return [...this.tracked.values()];
  }

  /** Stops the save timer and saves what changed. @throws when the final save fails. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.saveIfDirty(true);
  }

  private saveIfDirty(rethrow = false): Promise<void> {
    // Saves are chained, so two never write the file at once.
    this.saving = this.saving.then(async () => {
      if (!this.dirty || (!rethrow && this.deps.clock.now() < this.nextSaveAtMs)) return;
      this.dirty = false;
      const startedMs = this.deps.clock.now();
      try {
        await this.deps.store.save(this.snapshot());
        // A save takes at most a twentieth of the time between saves: a day of scores at ten
        // thousand series is hundreds of megabytes of JSON, and the serving thread writes it.
        this.nextSaveAtMs = startedMs + SAVE_SPACING * (this.deps.clock.now() - startedMs);
      } catch (err) {
        this.dirty = true;
        if (rethrow) throw err;
        this.deps.logger.warn({ err }, 'saving live accuracy failed; it is retried at the next interval');
      }
    });
    return this.saving;
  }

  /** Each series' state is taken when the save reaches it: one series at a time, never all at once. */
  private snapshot(): AccuracySave {
    const tracked = this.tracked;
    function* entries(): Generator<[string, PersistedSeriesAccuracy]> {
      for (const [name, t] of tracked) yield [name, { accuracy: t.accuracy.toState(), gate: t.gate }];
    }
    return { formatVersion: 1, savedAtMs: this.deps.clock.now(), entries: entries() };
  }
}

function fresh(config: SeriesConfig): Tracked {
  return { config, accuracy: new SeriesAccuracy(config.quantiles, config.step), gate: OPEN_GATE, fallback: undefined };
}

function fallbackOf(t: Tracked, history?: RegularSeries, windowSeconds = 300): TrustFallback | undefined {
  const { gate, config } = t;
  if (!gate.engaged || gate.reason === null || !config.trustGate.enabled) return undefined;
  const upper = config.quantiles[config.quantiles.length - 1] as number;
  const fallback: TrustFallback = { reason: gate.reason, detail: trustFallbackDetail(gate, config.trustGate, upper), sinceMs: gate.sinceMs ?? 0 };
  if (history) fallback.recent = { windowSeconds, samples: windowObservations(history, windowSeconds) };
  return fallback;
}
