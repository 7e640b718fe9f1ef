import { HORIZON_BUCKETS } from '../../src/accuracy/horizon-buckets';
import type { AccuracyTracker } from '../../src/accuracy/accuracy-tracker';
import { type AccuracyScores, scoresOf } from '../../src/accuracy/score-sums';
import { ACCURACY_WINDOWS } from '../../src/config/trust-gate-schema';
import { iso } from '../../src/time/iso';

type Tracked = NonNullable<ReturnType<AccuracyTracker['series']>>;

/** The scale every MASE and pinball number is on, stated once per document. */
const SCALE = 'errors divided by the in-sample seasonal-naive (daily) MAE of the history each forecast was made from, as in the backtest';

/**
 * The `accuracy` object of `GET /v1/series/{name}` (shape documented in docs/accuracy.md; the
 * dashboard charts it): per window the pooled scores and one entry per horizon bucket, the
 * trust gate, and the scored points of the last day for a chart. A score without points is null.
 */
export function seriesAccuracyJson(t: Tracked, nowMs: number): Record<string, unknown> {
  const levels = t.config.quantiles;
  const windows = Object.fromEntries(
    ACCURACY_WINDOWS.map((w) => [
      w,
      {
        ...scoresJson(scoresOf(t.accuracy.sums(w, nowMs), levels)),
        horizons: Object.fromEntries(HORIZON_BUCKETS.map((b, i) => [b.name, scoresJson(scoresOf(t.accuracy.sums(w, nowMs, i), levels))])),
      },
    ]),
  );
  return {
    scale: SCALE,
    quantiles: levels,
    horizonBuckets: HORIZON_BUCKETS.map((b) => b.name),
    pendingTargets: t.accuracy.pendingTargets(),
    windows,
    trustGate: trustGateJson(t),
    recent: t.accuracy.recentPoints(nowMs).map((p) => ({ t: iso(p.tMs), actual: p.actual, p50: p.p50, p90: p.p90, horizon: p.bucket })),
  };
}

/** One line per series for `GET /v1/status`: the gate and the gate window's pooled scores. */
export function accuracyStatusJson(tracker: Pick<AccuracyTracker, 'all'>, nowMs: number): Record<string, unknown>[] {
  return tracker.all().map((t) => {
    const s = scoresOf(t.accuracy.sums(t.config.trustGate.window, nowMs), t.config.quantiles);
    return { series: t.config.name, window: t.config.trustGate.window, points: s.points, mase: finite(s.mase), maseRatio: finite(s.maseRatio), coverage: s.coverage, trustGate: trustGateJson(t) };
  });
}

function trustGateJson(t: Tracked): Record<string, unknown> {
  const { gate, config } = t;
  const g = config.trustGate;
  return {
    enabled: g.enabled,
    window: g.window,
    engaged: g.enabled && gate.engaged,
    reason: g.enabled && gate.engaged ? gate.reason : null,
    since: gate.sinceMs === null ? null : iso(gate.sinceMs),
    maseRatio: finite(gate.maseRatio),
    coverage: gate.coverage,
    thresholds: { minPoints: g.minPoints, maxMaseRatio: g.maxMaseRatio, recoverMaseRatio: g.recoverMaseRatio, minCoverage: g.minCoverage, recoverCoverage: g.recoverCoverage },
  };
}

function scoresJson(s: AccuracyScores): Record<string, unknown> {
  return { points: s.points, mase: finite(s.mase), naiveMase: finite(s.naiveMase), maseRatio: finite(s.maseRatio), coverage: s.coverage, pinball: s.pinball };
}

/** JSON has no Infinity: a ratio against a perfect seasonal-naive is written as a string. */
function finite(x: number | null): number | string | null {
  return x === null || Number.isFinite(x) ? x : String(x);
}
