import type { Forecast, RegularSeries } from '../../models/core/forecaster';
import { ACCURACY_WINDOWS, type AccuracyWindow } from '../config/trust-gate-schema';
import { HORIZON_BUCKETS, MAX_SCORED_LEAD_SECONDS, bucketMidSeconds, horizonBucketOf } from './horizon-buckets';
import { naiveReference } from './naive-reference';
import { type PendingPoint, PendingPoints } from './pending-points';
import { type ScoreSums, addSums, emptySums } from './score-sums';
import { type RingState, WindowedSums } from './windowed-sums';

/** One scored target for the chart: the actual and the shortest-lead forecast of it. */
export interface RecentPoint {
  tMs: number;
  actual: number;
  p50: number;
  p90: number;
  /** The horizon bucket the charted forecast came from. */
  bucket: string;
}

/** Everything a series' live accuracy needs to survive a restart. */
export interface SeriesAccuracyState {
  quantiles: number[];
  stepSeconds: number;
  /** `[targetMs, per bucket the pending point or null]`: the form saved before 2 Dec 2026, still read; saves now write `pendingRows`. */
  pending: [number, (PendingPoint | null)[]][];
  /** The pending points as flat rows (`PendingPoints.rows`). */
  pendingRows?: number[];
  /** Per bucket, per window, the ring; a window that scored nothing is left out. */
  rings: Partial<Record<AccuracyWindow, RingState>>[];
  recent: RecentPoint[];
}

/**
 * The chart keeps a day of scored points, at most one per 5 minutes (or per step, when longer):
 * 288 points draw a day, and at ten thousand 1-minute series a point per step would be
 * fourteen million objects kept and saved.
 */
const RECENT_SPAN_MS = 86_400_000;
const RECENT_SPACING_MS = 300_000;

/**
 * Live accuracy of one series: remembers each served forecast (one point per target and
 * horizon bucket, see `bucketMidSeconds`), scores it when the actual of its target is known,
 * and keeps the scores as streaming sums per bucket and window. Pure state: no clock, no I/O;
 * the caller passes the history and the time.
 */
export class SeriesAccuracy {
  private readonly pending: PendingPoints;
  private readonly rings: WindowedSums[][];
  private recent: RecentPoint[] = [];
  private scaleMemo: { scale: number; steps: number } | null = null;
  private readonly p50: number;
  private readonly p90: number;
  private readonly recentSpacingMs: number;

  /** @param quantiles the series' served quantile levels, ascending (they include 0.5 and 0.9). */
  constructor(
    readonly quantiles: readonly number[],
    readonly stepSeconds: number,
    state?: SeriesAccuracyState,
  ) {
    const usable = state && sameLevels(state.quantiles, quantiles) && state.stepSeconds === stepSeconds;
    this.pending = new PendingPoints(stepSeconds, quantiles.length);
    this.rings = HORIZON_BUCKETS.map((_, b) => ACCURACY_WINDOWS.map((w) => new WindowedSums(w, quantiles.length, usable ? state.rings[b]?.[w] : undefined)));
    if (usable) {
      for (const [t, points] of state.pending) {
        points.forEach((p, b) => {
          if (p && b < HORIZON_BUCKETS.length) this.pending.set(t, b, p, (k) => finiteOr(p.quantiles[k], p.mean));
        });
      }
      if (state.pendingRows) this.pending.loadRows(state.pendingRows);
      this.recent = [...state.recent];
    }
    this.p50 = quantiles.indexOf(0.5);
    this.p90 = quantiles.indexOf(0.9);
    this.recentSpacingMs = Math.max(RECENT_SPACING_MS, stepSeconds * 1000);
  }

  /**
   * One refresh: first scores every remembered point whose target step is complete in
   * `history` (older than its newest step, which may still be filling), then remembers
   * `forecast` (made from `history`). Returns how many points were scored.
   */
  observe(history: RegularSeries, forecast: Forecast, nowMs: number): number {
    const scored = this.score(history, nowMs);
    this.remember(history, forecast);
    return scored;
  }

  /** Sums of one bucket (or all buckets pooled) over a window ending at `nowMs`. */
  sums(window: AccuracyWindow, nowMs: number, bucket?: number): ScoreSums {
    const w = ACCURACY_WINDOWS.indexOf(window);
    if (bucket !== undefined) return (this.rings[bucket]?.[w] as WindowedSums).total(nowMs);
    const out = emptySums(this.quantiles.length);
    for (const perWindow of this.rings) addSums(out, (perWindow[w] as WindowedSums).total(nowMs));
    return out;
  }

  /** Scored points of the last day, oldest first. */
  recentPoints(nowMs: number): RecentPoint[] {
    return this.recent.filter((p) => p.tMs > nowMs - RECENT_SPAN_MS);
  }

  /** Targets waiting for their actual. */
  pendingTargets(): number {
    return this.pending.targets();
  }

  toState(): SeriesAccuracyState {
    return {
      quantiles: [...this.quantiles],
      stepSeconds: this.stepSeconds,
      pending: [],
      pendingRows: this.pending.rows(),
      rings: this.rings.map((perWindow) => {
        const out: Partial<Record<AccuracyWindow, RingState>> = {};
        for (const r of perWindow) {
          const state = r.toState();
          if (state) out[r.name] = state;
        }
        return out;
      }),
      recent: [...this.recent],
    };
  }

  private score(history: RegularSeries, nowMs: number): number {
    const stepMs = history.stepSeconds * 1000;
    const newestMs = history.startMs + (history.values.length - 1) * stepMs;
    let scored = 0;
    for (const [t, points] of this.pending.takeBefore(newestMs)) {
      const i = (t - history.startMs) / stepMs;
      const y = Number.isInteger(i) && i >= 0 ? (history.values[i] as number) : Number.NaN;
      // A target whose step has no sample (a gap) has nothing to score against.
      if (!Number.isFinite(y)) continue;
      const newestCharted = this.recent[this.recent.length - 1]?.tMs;
      let charted = newestCharted !== undefined && t < newestCharted + this.recentSpacingMs;
      points.forEach((p, b) => {
        if (!p) return;
        scored++;
        for (const ring of this.rings[b] as WindowedSums[]) ring.add(t, this.quantiles, p, y);
        if (!charted) {
          charted = true;
          this.recent.push({ tMs: t, actual: y, p50: p.quantiles[this.p50] ?? p.mean, p90: p.quantiles[this.p90] ?? p.mean, bucket: (HORIZON_BUCKETS[b] as { name: string }).name });
        }
      });
    }
    if (scored > 0) this.trimRecent(nowMs);
    return scored;
  }

  private remember(history: RegularSeries, forecast: Forecast): void {
    if (history.values.length < 2 || forecast.stepSeconds !== history.stepSeconds) return;
    const reference = naiveReference(history);
    const scale = this.errorScale(reference.scale, history.values.length);
    // As the backtest does: a history with no seasonal-naive error cannot scale errors.
    if (!(scale > 0)) return;
    const stepMs = history.stepSeconds * 1000;
    const newestMs = history.startMs + (history.values.length - 1) * stepMs;
    const perLevel = this.quantiles.map((q) => forecast.quantiles[String(q)]);
    const lastLeadMs = forecast.startMs + (forecast.mean.length - 1) * stepMs - newestMs;
    this.pending.reserve(Math.min(lastLeadMs, MAX_SCORED_LEAD_SECONDS * 1000));
    for (let k = 0; k < forecast.mean.length; k++) {
      const t = forecast.startMs + k * stepMs;
      const leadMs = t - newestMs;
      if (leadMs > MAX_SCORED_LEAD_SECONDS * 1000) break;
      const b = horizonBucketOf(leadMs / 1000);
      const mean = forecast.mean[k] as number;
      if (b < 0 || !Number.isFinite(mean)) continue;
      const currentLead = this.pending.leadOf(t, b);
      const midMs = bucketMidSeconds(b) * 1000;
      if (currentLead !== null && Math.abs(currentLead - midMs) <= Math.abs(leadMs - midMs)) continue;
      this.pending.set(t, b, { leadMs, mean, naive: reference.forecastAt(t), scale }, (level) => finiteOr(perLevel[level]?.[k], mean));
    }
  }

  /**
   * The scale of the longest history seen: a refresh that conditions a kept model scores on a
   * day or so of history, whose seasonal-naive error is a noisy scale; the refresher passes the
   * full window once a day, and its scale (the backtest's) holds until the next one.
   */
  private errorScale(scale: number, steps: number): number {
    if (scale > 0 && (!this.scaleMemo || steps >= this.scaleMemo.steps)) this.scaleMemo = { scale, steps };
    return this.scaleMemo?.scale ?? scale;
  }

  private trimRecent(nowMs: number): void {
    const from = nowMs - RECENT_SPAN_MS;
    let drop = 0;
    while (drop < this.recent.length && (this.recent[drop] as RecentPoint).tMs <= from) drop++;
    drop = Math.max(drop, this.recent.length - Math.ceil(RECENT_SPAN_MS / this.recentSpacingMs));
    if (drop > 0) this.recent = this.recent.slice(drop);
  }
}

function sameLevels(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((q, i) => q === b[i]);
}

/** A model that gave NaN for a quantile is scored on its point there (and the state stays JSON). */
function finiteOr(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) ? v : fallback;
}
