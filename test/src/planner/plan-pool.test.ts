import { planPool } from '../../../src/planner/plan-pool';
import type { PoolPlanInput, PoolSpec, SeriesPoint } from '../../../src/planner/plan-types';
import { initialStabilizerState, stabilizeStep } from '../../../src/planner/stabilize';

const MIN = 60_000;
const NOW = Date.parse('2026-12-01T08:00:00Z');

const pool: PoolSpec = {
  name: 'gpu-generate',
  capacityPerReplica: 20,
  leadTimeSeconds: 240,
  headroom: 0.15,
  minReplicas: 1,
  maxReplicas: 16,
  gpusPerReplica: 1,
  costPerReplicaHour: 2.5,
  priority: 10,
  scaleDown: { stabilizationWindowSeconds: 300, maxStepDown: 1 },
};

const flat = (value: number, minutes = 61, from = NOW): SeriesPoint[] => Array.from({ length: minutes }, (_, i) => ({ t: from + i * MIN, value }));
const input = (over: Partial<PoolPlanInput> = {}): PoolPlanInput => ({ pool, demand: flat(0), stepSeconds: 60, horizonSeconds: 3600, ...over });

describe('planPool', () => {
  it('asks for the forecast load with headroom over capacity per replica', () => {
    const plan = planPool(input({ demand: flat(100) }), NOW);
    expect(plan.steps).toHaveLength(61);
    // 100 × 1.15 / 20 = 5.75 → 6
    expect(plan.steps[0]).toMatchObject({ t: NOW, replicas: 6, reason: { term: 'forecast' } });
  });

  it('is ready lead time before a forecast jump', () => {
    const demand = flat(0).map((p) => ({ ...p, value: p.t >= NOW + 30 * MIN ? 200 : 20 }));
    const plan = planPool(input({ demand }), NOW);
    const at = (m: number) => plan.steps[m]!.replicas;
    expect(at(25)).toBe(2);
    expect(at(26)).toBe(12); // 30 - 4 minutes lead
    expect(plan.steps[26]!.reason.values['loadAtMs']).toBe(NOW + 30 * MIN);
  });

  it('falls to minReplicas when the forecast asks for less, and says so', () => {
    const plan = planPool(input({ demand: flat(0) }), NOW);
    expect(plan.steps[0]).toMatchObject({ replicas: 1, reason: { term: 'min' } });
  });

  it('cuts to maxReplicas and names the quota', () => {
    const plan = planPool(input({ demand: flat(10_000) }), NOW);
    expect(plan.steps[0]).toMatchObject({ replicas: 16, reason: { term: 'quota:maxReplicas' } });
  });

  it('scales down gradually: held by the window, then one replica per step', () => {
    const demand = flat(0).map((p) => ({ ...p, value: p.t < NOW + 10 * MIN ? 200 : 0 }));
    const plan = planPool(input({ demand }), NOW);
    const series = plan.steps.map((s) => s.replicas);
    // the load (still needed at minute 9) is gone from minute 10; the 5-minute window holds 12
    // through minute 13, then the plan drops one replica per step
    expect(series.slice(8, 20)).toEqual([12, 12, 12, 12, 12, 12, 11, 10, 9, 8, 7, 6]);
    expect(plan.steps[11]!.reason.term).toBe('stabilize');
  });

  it('adds the queue drain term and names it', () => {
    const plan = planPool(
      input({ pool: { ...pool, queue: { drainTimeSeconds: 60 } }, demand: flat(20), backlog: flat(1200) }),
      NOW,
    );
    // (20 + 1200/60) × 1.15 / 20 = 2.3 → 3
    expect(plan.steps[0]).toMatchObject({ replicas: 3, reason: { term: 'queue' } });
  });

  it('never steps up more than maxStepUp, ramping ahead instead', () => {
    const demand = flat(0).map((p) => ({ ...p, value: p.t >= NOW + 30 * MIN ? 300 : 0 }));
    const plan = planPool(input({ demand, quotas: { maxStepUp: 4 } }), NOW);
    const series = plan.steps.map((s) => s.replicas);
    for (let i = 1; i < series.length; i++) expect(series[i]! - series[i - 1]!).toBeLessThanOrEqual(4);
    expect(series[26]).toBe(16);
  });
});

describe('stabilizeStep', () => {
  it('passes scale-up through and limits scale-down per step', () => {
    const cfg = { stabilizationWindowSeconds: 0, maxStepDown: 2 };
    let s = initialStabilizerState(null);
    const r1 = stabilizeStep(s, 10, 0, cfg);
    s = r1.state;
    const r2 = stabilizeStep(s, 3, MIN, cfg);
    expect([r1.replicas, r2.replicas, r2.heldBy]).toEqual([10, 8, 'maxStepDown']);
  });
});
