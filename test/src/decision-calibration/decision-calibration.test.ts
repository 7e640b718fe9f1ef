/**
 * Decision calibration's rule (src/decision-calibration/decision-calibration.ts): which
 * decisions bind, how they wait to be scored, and how their outcomes move the level. Pure.
 */
import {
  DECISION_CALIBRATION_RATE,
  calibrationBounds,
  isBinding,
  noteDecision,
  scoreDecisions,
  startCalibration,
} from '../../../src/decision-calibration/decision-calibration';
import { seededRandom } from '../../../models/core/seeded-random';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T09:00:00Z');
// u = 22.5, c = 2.5: the newsvendor level 0.9, so a binding decision should miss 10 % of the time.
const bounds = calibrationBounds(22.5, 2.5, [0.5, 0.8, 0.9, 0.95, 0.99]);

describe('decision calibration bounds', () => {
  it('asks the newsvendor miss rate c / (u + c) and moves within the served levels, never below the median', () => {
    expect(bounds.missRate).toBeCloseTo(0.1, 12);
    expect(bounds.lowest).toBe(0.5);
    expect(bounds.highest).toBe(0.99);
    expect(calibrationBounds(9, 1, [0.3, 0.9]).lowest).toBe(0.5);
    expect(startCalibration(0.999, bounds).level).toBe(0.99);
  });
});

describe('a binding decision', () => {
  it('asks for more replicas than the reactive cover ⌈(1 + headroom) × recent peak / capacity⌉', () => {
    // 1.1 × 100 / 10 = 11 replicas already held by the reactive term.
    expect(isBinding({ replicas: 12, recentPeak: 100, headroom: 0.1, capacityPerReplica: 10 })).toBe(true);
    expect(isBinding({ replicas: 11, recentPeak: 100, headroom: 0.1, capacityPerReplica: 10 })).toBe(false);
    expect(isBinding({ replicas: 12, recentPeak: Number.NaN, headroom: 0.1, capacityPerReplica: 10 })).toBe(false);
  });
});

describe('noting decisions', () => {
  const d = { stepStartMs: T0, leadSeconds: 180, replicas: 12, capacityPerReplica: 10, binding: true };

  it('keeps one decision per plan step, the last one made, due one lead time later', () => {
    let s = startCalibration(0.9, bounds);
    s = noteDecision(s, d);
    s = noteDecision(s, { ...d, replicas: 14 });
    expect(s.pending).toEqual([{ dueMs: T0 + 180_000, coveredLoad: 140 }]);
    s = noteDecision(s, { ...d, stepStartMs: T0 + MINUTE });
    expect(s.pending.map((p) => p.dueMs)).toEqual([T0 + 180_000, T0 + 240_000]);
  });

  it('withdraws a step whose last plan no longer binds', () => {
    let s = noteDecision(startCalibration(0.9, bounds), d);
    s = noteDecision(s, { ...d, binding: false });
    expect(s.pending).toEqual([]);
  });
});

describe('scoring decisions', () => {
  const noted = noteDecision(startCalibration(0.9, bounds), { stepStartMs: T0, leadSeconds: 180, replicas: 12, capacityPerReplica: 10, binding: true });

  it('waits for the first observation at or after the due time', () => {
    expect(scoreDecisions(noted, { t: T0 + 120_000, v: 500 }, bounds)).toBe(noted);
    expect(scoreDecisions(noted, { t: T0 + 180_000, v: Number.NaN }, bounds)).toBe(noted);
  });

  it('raises the level by rate × (1 − α) on a miss and lowers it by rate × α on a cover', () => {
    const missed = scoreDecisions(noted, { t: T0 + 180_000, v: 121 }, bounds);
    expect(missed.level).toBeCloseTo(0.9 + DECISION_CALIBRATION_RATE * 0.9, 12);
    expect(missed).toMatchObject({ scored: 1, missed: 1, pending: [] });
    // A load of exactly the covered 120 is served by 12 replicas.
    const covered = scoreDecisions(noted, { t: T0 + 200_000, v: 120 }, bounds);
    expect(covered.level).toBeCloseTo(0.9 - DECISION_CALIBRATION_RATE * 0.1, 12);
    expect(covered).toMatchObject({ scored: 1, missed: 0, pending: [] });
  });

  it('never leaves the bounds', () => {
    let s = startCalibration(0.5, bounds);
    for (let i = 0; i < 50; i++) {
      s = noteDecision(s, { stepStartMs: T0 + i * MINUTE, leadSeconds: 60, replicas: 100, capacityPerReplica: 10, binding: true });
      s = scoreDecisions(s, { t: T0 + (i + 1) * MINUTE, v: 0 }, bounds);
    }
    expect(s.level).toBe(0.5);
    expect(s.scored).toBe(50);
  });

  it('brings the miss rate of a biased forecast to the rate the price asks', () => {
    // The load is uniform on [0, 1]; the forecast's level-quantile is level³, too low, so sized
    // at q0.9 it misses 1 − 0.729 = 27 % of the time. The level that misses 10 % is 0.9^(1/3).
    const next = seededRandom(7);
    let s = startCalibration(0.9, bounds);
    let lateMisses = 0;
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const stepStartMs = T0 + i * MINUTE;
      s = noteDecision(s, { stepStartMs, leadSeconds: 60, replicas: s.level ** 3, capacityPerReplica: 1, binding: true });
      const before = s.missed;
      s = scoreDecisions(s, { t: stepStartMs + MINUTE, v: next() }, bounds);
      if (i >= n / 2) lateMisses += s.missed - before;
    }
    expect(lateMisses / (n / 2)).toBeGreaterThan(0.09);
    expect(lateMisses / (n / 2)).toBeLessThan(0.11);
    expect(s.level).toBeGreaterThan(0.9 ** (1 / 3) - 0.02);
    expect(s.level).toBeLessThan(0.9 ** (1 / 3) + 0.02);
  });
});
