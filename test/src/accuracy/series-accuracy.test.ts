import type { Forecast, RegularSeries } from '../../../models/core/forecaster';
import { SeriesAccuracy } from '../../../src/accuracy/series-accuracy';
import { scoresOf } from '../../../src/accuracy/score-sums';

const STEP_MS = 60_000;
const START = Date.UTC(2026, 0, 1);
const LEVELS = [0.5, 0.9];

/** Values 1, 2, …, n on a 1-minute grid: seasonal-naive (period 1 under a day) forecasts n, and the scale is 1. */
const history = (n: number, gapAt?: number): RegularSeries => ({
  startMs: START,
  stepSeconds: 60,
  timezone: 'UTC',
  values: Array.from({ length: n }, (_, i) => (i === gapAt ? Number.NaN : i + 1)),
});
/** A flat forecast of `level` (p90 = level + 5) for `steps` steps after the history. */
const flat = (h: RegularSeries, level: number, steps = 30): Forecast => ({
  startMs: h.startMs + h.values.length * STEP_MS,
  stepSeconds: 60,
  mean: new Array<number>(steps).fill(level),
  quantiles: { '0.5': new Array<number>(steps).fill(level), '0.9': new Array<number>(steps).fill(level + 5) },
  model: 'test',
});

describe('SeriesAccuracy', () => {
  it('scores a remembered forecast once the step of its target is complete, against seasonal-naive from the same history', () => {
    const acc = new SeriesAccuracy(LEVELS, 60);
    const now = START + 20 * STEP_MS;
    acc.observe(history(10), flat(history(10), 20), now); // target index 10 (value 11): forecast 20, naive 10
    // The target's step is the newest now: it may still be filling, so it is not scored yet.
    expect(acc.observe(history(11), flat(history(11), 30), now)).toBe(0);
    expect(acc.observe(history(12), flat(history(12), 40), now)).toBe(1);
    const s = scoresOf(acc.sums('1h', now), LEVELS);
    expect(s).toMatchObject({ points: 1, mase: 9, naiveMase: 1, maseRatio: 9, coverage: { '0.5': 1, '0.9': 1 } });
    expect(s.pinball['0.9']).toBeCloseTo(0.1 * (25 - 11), 6); // 32-bit sums
    expect(acc.recentPoints(now)).toEqual([{ tMs: START + 10 * STEP_MS, actual: 11, p50: 20, p90: 25, bucket: '0-15m' }]);
  });

  it('of the forecasts for one target in a bucket, keeps the one whose lead is nearest the middle of the bucket', () => {
    const acc = new SeriesAccuracy(LEVELS, 60);
    const now = START + 20 * STEP_MS;
    // Target index 11 (value 12): lead 2 min from history(10) (forecast 20), 1 min from history(11) (forecast 30).
    acc.observe(history(10), flat(history(10), 20), now);
    acc.observe(history(11), flat(history(11), 30), now);
    acc.observe(history(12), flat(history(12), 40), now);
    acc.observe(history(13), flat(history(13), 50), now);
    // Index 10: 20 vs 11 → 9; index 11: the 2-minute lead (20) is nearer 7.5 min than the 1-minute one (30): 20 vs 12 → 8.
    expect(scoresOf(acc.sums('1h', now), LEVELS)).toMatchObject({ points: 2, mase: 8.5 });
  });

  it('keeps one pending point per target and bucket however many refreshes, and drops a target whose step has no sample', () => {
    const acc = new SeriesAccuracy(LEVELS, 60);
    const now = START + 400 * STEP_MS;
    for (let n = 10; n <= 200; n++) acc.observe(history(n, 150), flat(history(n, 150), n, 60), now);
    // 60 forecast steps ahead, plus the newest step, whose actual may still be filling.
    expect(acc.pendingTargets()).toBe(61);
    const charted = acc.recentPoints(now).map((p) => p.tMs);
    expect(charted).not.toContain(START + 150 * STEP_MS);
    expect(charted).toContain(START + 151 * STEP_MS);
  });

  it('charts at most one scored point per 5 minutes of a 1-minute series, over the last day', () => {
    const acc = new SeriesAccuracy(LEVELS, 60);
    const n = 1600;
    for (let k = 10; k <= n; k++) acc.observe(history(k), flat(history(k), k, 2), START + k * STEP_MS);
    const charted = acc.recentPoints(START + n * STEP_MS).map((p) => (p.tMs - START) / STEP_MS);
    // Every target from index 10 on is scored (the pooled sums count them), but the chart keeps one per 5 steps.
    expect(acc.sums('24h', START + n * STEP_MS).count).toBeGreaterThan(1400);
    expect(charted.length).toBeLessThanOrEqual(288);
    expect(charted.length).toBeGreaterThan(280);
    for (let i = 1; i < charted.length; i++) expect(charted[i]! - charted[i - 1]!).toBe(5);
    expect(charted[charted.length - 1]).toBeGreaterThan(n - 8);
  });

  it('per horizon bucket and pooled; a 1h window forgets what the 24h window still holds', () => {
    const acc = new SeriesAccuracy(LEVELS, 60);
    for (let n = 10; n <= 100; n++) acc.observe(history(n), flat(history(n), n), START + n * STEP_MS);
    const end = START + 100 * STEP_MS;
    const pooled = acc.sums('24h', end).count;
    const buckets = [0, 1, 2].map((b) => acc.sums('24h', end, b).count);
    expect(buckets[0]).toBeGreaterThan(0);
    expect(buckets[1]).toBeGreaterThan(0);
    expect(buckets[2]).toBe(0); // a 30-step horizon never reaches 1–6 h
    expect(pooled).toBe(buckets[0]! + buckets[1]! + buckets[2]!);
    const later = START + 200 * STEP_MS;
    expect(acc.sums('1h', later).count).toBe(0);
    expect(acc.sums('24h', later).count).toBe(pooled);
  });

  it('survives a round trip through its persisted state (JSON), pending forecasts included', () => {
    const acc = new SeriesAccuracy(LEVELS, 60);
    for (let n = 10; n <= 40; n++) acc.observe(history(n), flat(history(n), n + 3), START + n * STEP_MS);
    const copy = new SeriesAccuracy(LEVELS, 60, JSON.parse(JSON.stringify(acc.toState())));
    const now = START + 41 * STEP_MS;
    expect(copy.sums('24h', now)).toEqual(acc.sums('24h', now));
    acc.observe(history(42), flat(history(42), 45), now);
    copy.observe(history(42), flat(history(42), 45), now);
    expect(copy.sums('24h', now)).toEqual(acc.sums('24h', now));
    // Other quantiles or another step: the saved scores do not apply, it starts empty.
    expect(new SeriesAccuracy([0.5, 0.9, 0.99], 60, acc.toState()).sums('24h', now).count).toBe(0);
    expect(new SeriesAccuracy(LEVELS, 300, acc.toState()).pendingTargets()).toBe(0);
  });
});
