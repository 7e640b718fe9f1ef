import { planPool } from '../../../src/planner/plan-pool';
import type { PoolPlan, PoolSpec } from '../../../src/planner/plan-types';
import { expandFloors } from '../../../src/planner/schedules';

/**
 * Timing: a replica asked for at step t is Ready at t + leadTime. These tests replay the
 * plan through that delay and check the capacity that is Ready when a scheduled peak opens.
 */
const MIN = 60_000;

const pool: PoolSpec = {
  name: 'gpu-generate',
  capacityPerReplica: 20,
  leadTimeSeconds: 6 * 60,
  headroom: 0.15,
  minReplicas: 1,
  maxReplicas: 16,
  gpusPerReplica: 1,
  costPerReplicaHour: 2.5,
  priority: 10,
  scaleDown: { stabilizationWindowSeconds: 300, maxStepDown: 1 },
};

/** Replicas Ready at `t`: those the plan asked for one lead time earlier (the latest step at or before it). */
function readyAt(plan: PoolPlan, t: number, leadSeconds: number): number {
  const askedBy = t - leadSeconds * 1000;
  const steps = plan.steps.filter((s) => s.t <= askedBy);
  return steps.length ? steps[steps.length - 1]!.replicas : 0;
}

const business = { name: 'business-hours', cron: '0 8 * * 1-5', durationSeconds: 10 * 3600, timezone: 'Europe/Berlin', floor: { 'gpu-generate': 10 } };

describe.each([
  // Winter: Berlin is UTC+1, so 08:00 local opens at 07:00Z.
  ['winter (CET)', '2026-12-01T06:20:00Z', '2026-12-01T07:00:00Z'],
  // Summer: Berlin is UTC+2, so 08:00 local opens at 06:00Z.
  ['summer (CEST)', '2026-06-02T05:20:00Z', '2026-06-02T06:00:00Z'],
])('a scheduled peak in %s', (_label, nowIso, opensIso) => {
  const now = Date.parse(nowIso);
  const opens = Date.parse(opensIso);
  const floors = expandFloors([business], [], now, now + 2 * 3600_000).get('gpu-generate') ?? [];
  const flatLoad = Array.from({ length: 61 }, (_, i) => ({ t: now + i * MIN, value: 15 }));

  it('opens the window at 08:00 local time', () => {
    expect(floors.map((w) => w.startMs)).toEqual([opens]);
  });

  it('has the floor Ready (after lead time) when the window opens, and not much earlier', () => {
    const plan = planPool({ pool, demand: flatLoad, floors, stepSeconds: 60, horizonSeconds: 3600 }, now);
    expect(readyAt(plan, opens, pool.leadTimeSeconds)).toBeGreaterThanOrEqual(10);
    for (let t = opens; t <= opens + 30 * MIN; t += MIN) expect(readyAt(plan, t, pool.leadTimeSeconds)).toBeGreaterThanOrEqual(10);
    // pre-warming starts exactly one lead time ahead, not before
    const askedAt = plan.steps.find((s) => s.replicas >= 10)!;
    expect(askedAt.t).toBe(opens - pool.leadTimeSeconds * 1000);
    expect(askedAt.reason.term).toBe('schedule');
    expect(readyAt(plan, opens - MIN, pool.leadTimeSeconds)).toBeLessThan(10);
  });

  it('is still Ready on time when maxStepUp forces a ramp', () => {
    const plan = planPool({ pool, demand: flatLoad, floors, stepSeconds: 60, horizonSeconds: 3600, quotas: { maxStepUp: 2 }, currentReplicas: 1 }, now);
    expect(readyAt(plan, opens, pool.leadTimeSeconds)).toBeGreaterThanOrEqual(10);
    const series = plan.steps.map((s) => s.replicas);
    for (let i = 1; i < series.length; i++) expect(series[i]! - series[i - 1]!).toBeLessThanOrEqual(2);
  });
});

describe('a forecast peak', () => {
  it('has its capacity Ready when the load arrives', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    const peak = now + 40 * MIN;
    const demand = Array.from({ length: 61 }, (_, i) => ({ t: now + i * MIN, value: now + i * MIN >= peak ? 300 : 40 }));
    const plan = planPool({ pool, demand, stepSeconds: 60, horizonSeconds: 3600 }, now);
    // 300 × 1.15 / 20 = 17.25 → 18, cut to maxReplicas 16
    expect(readyAt(plan, peak, pool.leadTimeSeconds)).toBe(16);
    expect(readyAt(plan, peak - MIN, pool.leadTimeSeconds)).toBe(3);
  });
});
