import fc from 'fast-check';
import { planAll } from '../../../src/planner/plan-all';
import type { FloorWindow, PlanAllInput, PoolDemand, PoolSpec, Quotas } from '../../../src/planner/plan-types';
import { allocateByPriority } from '../../../src/planner/quotas';

const MIN = 60_000;
const NOW = Date.parse('2026-12-01T08:00:00Z');
const STEPS = 61;

const poolArb = (i: number): fc.Arbitrary<PoolDemand> =>
  fc
    .record({
      capacityPerReplica: fc.integer({ min: 1, max: 100 }),
      leadMinutes: fc.integer({ min: 0, max: 10 }),
      headroom: fc.double({ min: 0, max: 1, noNaN: true }),
      minReplicas: fc.integer({ min: 0, max: 5 }),
      extra: fc.integer({ min: 0, max: 30 }),
      gpusPerReplica: fc.constantFrom(0, 1, 2, 4),
      costPerReplicaHour: fc.constantFrom(0, 0.5, 2.5, 10),
      priority: fc.integer({ min: 0, max: 3 }),
      windowSeconds: fc.constantFrom(0, 60, 300),
      maxStepDown: fc.integer({ min: 1, max: 4 }),
      demand: fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { minLength: STEPS, maxLength: STEPS }),
      floors: fc.array(
        fc.record({ start: fc.integer({ min: -10, max: 70 }), length: fc.integer({ min: 1, max: 40 }), replicas: fc.integer({ min: 0, max: 40 }), event: fc.boolean() }),
        { maxLength: 3 },
      ),
      current: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    })
    .map((r) => {
      const pool: PoolSpec = {
        name: `pool-${i}`,
        capacityPerReplica: r.capacityPerReplica,
        leadTimeSeconds: r.leadMinutes * 60,
        headroom: r.headroom,
        minReplicas: r.minReplicas,
        maxReplicas: r.minReplicas + r.extra + 1,
        gpusPerReplica: r.gpusPerReplica,
        costPerReplicaHour: r.costPerReplicaHour,
        priority: r.priority,
        scaleDown: { stabilizationWindowSeconds: r.windowSeconds, maxStepDown: r.maxStepDown },
      };
      const floors: FloorWindow[] = r.floors.map((f, k) => ({
        source: f.event ? 'event' : 'schedule',
        name: `w${k}`,
        startMs: NOW + f.start * MIN,
        endMs: NOW + (f.start + f.length) * MIN,
        replicas: f.replicas,
      }));
      return {
        pool,
        demand: r.demand.map((value, k) => ({ t: NOW + k * MIN, value })),
        floors,
        ...(r.current !== undefined ? { currentReplicas: r.current } : {}),
      };
    });

const quotasArb: fc.Arbitrary<Quotas> = fc.record(
  {
    maxGpus: fc.integer({ min: 0, max: 60 }),
    maxCostPerHour: fc.integer({ min: 0, max: 150 }),
    maxStepUp: fc.integer({ min: 1, max: 10 }),
    resourceQuotaGpus: fc.integer({ min: 0, max: 60 }),
  },
  { requiredKeys: [] },
);

const inputArb: fc.Arbitrary<PlanAllInput> = fc
  .integer({ min: 1, max: 5 })
  .chain((n) => fc.tuple(fc.tuple(...Array.from({ length: n }, (_, i) => poolArb(i))), quotasArb))
  .map(([pools, quotas]) => ({ stepSeconds: 60, horizonSeconds: 3600, pools, quotas }));

/** A cheap assertion for hot property loops (jest's expect is too slow for ~10^5 checks per test). */
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

const activeFloor = (p: PoolDemand, t: number): number =>
  Math.max(0, ...(p.floors ?? []).filter((w) => w.startMs <= t + p.pool.leadTimeSeconds * 1000 && w.endMs > t).map((w) => w.replicas));

describe('planAll (property)', () => {
  it('never exceeds any quota, and totals across pools respect the GPU and cost caps', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plans = planAll(input, NOW + 17_000);
        const q = input.quotas;
        for (let s = 0; s < STEPS; s++) {
          let gpus = 0;
          let cost = 0;
          plans.forEach((plan, i) => {
            const p = input.pools[i] as PoolDemand;
            const step = plan.steps[s]!;
            check(Number.isInteger(step.replicas) && step.replicas >= 0, `step ${s} of ${plan.pool}: ${step.replicas} is not a count`);
            check(step.replicas <= p.pool.maxReplicas, `step ${s} of ${plan.pool}: ${step.replicas} > maxReplicas`);
            const prev = s === 0 ? p.currentReplicas : plan.steps[s - 1]!.replicas;
            if (q.maxStepUp !== undefined && prev !== undefined) check(step.replicas - prev <= q.maxStepUp, `step ${s} of ${plan.pool}: +${step.replicas - prev} > maxStepUp`);
            gpus += step.replicas * p.pool.gpusPerReplica;
            cost += step.replicas * p.pool.costPerReplicaHour;
          });
          if (q.maxGpus !== undefined) check(gpus <= q.maxGpus, `step ${s}: ${gpus} GPUs > maxGpus`);
          if (q.resourceQuotaGpus !== undefined) check(gpus <= q.resourceQuotaGpus, `step ${s}: ${gpus} GPUs > ResourceQuota`);
          if (q.maxCostPerHour !== undefined) check(cost <= q.maxCostPerHour + 1e-9, `step ${s}: cost ${cost} > maxCostPerHour`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('honours priorities: while a GPU quota cuts a pool, no lower-priority pool holds GPUs', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plans = planAll(input, NOW);
        for (let s = 0; s < STEPS; s++) {
          plans.forEach((plan, i) => {
            const term = plan.steps[s]!.reason.term;
            if (term !== 'quota:maxGpus' && term !== 'quota:resourceQuota') return;
            const cutPriority = (input.pools[i] as PoolDemand).pool.priority;
            plans.forEach((other, j) => {
              const o = (input.pools[j] as PoolDemand).pool;
              if (o.priority < cutPriority && o.gpusPerReplica > 0) check(other.steps[s]!.replicas === 0, `step ${s}: ${other.pool} (priority ${o.priority}) holds GPUs while ${plan.pool} (priority ${cutPriority}) is cut`);
            });
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('goes below minReplicas or an active floor only when a quota says so', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plans = planAll(input, NOW);
        plans.forEach((plan, i) => {
          const p = input.pools[i] as PoolDemand;
          for (const step of plan.steps) {
            const floor = Math.min(p.pool.maxReplicas, Math.max(p.pool.minReplicas, activeFloor(p, step.t)));
            check(step.replicas >= floor || step.reason.term.startsWith('quota:'), `${plan.pool} at ${step.t}: ${step.replicas} < floor ${floor} with reason ${step.reason.term}`);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('allocateByPriority (property)', () => {
  it('serves higher priorities in full first and shares a cut level in proportion to the asks', () => {
    const req = fc.record({ replicas: fc.integer({ min: 0, max: 20 }), priority: fc.integer({ min: 0, max: 2 }), weightPerReplica: fc.constantFrom(1, 2, 3) });
    fc.assert(
      fc.property(fc.array(req, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 80 }), (requests, cap) => {
        const granted = allocateByPriority(requests, cap);
        const used = granted.reduce((sum, g, i) => sum + g * requests[i]!.weightPerReplica, 0);
        check(used <= cap, `used ${used} > cap ${cap}`);
        requests.forEach((r, i) => {
          check(granted[i]! <= r.replicas, 'granted more than asked');
          if (granted[i]! < r.replicas) {
            // everything below the cut level got nothing
            requests.forEach((o, j) => {
              if (o.priority < r.priority) check(granted[j] === 0, 'a lower level got capacity while a higher one was cut');
              // same level: everyone kept at least the floor of the common share
              if (o.priority === r.priority && o.replicas > 0) {
                const level = requests.filter((x) => x.priority === r.priority);
                const above = requests.filter((x) => x.priority > r.priority).reduce((a, x) => a + x.replicas * x.weightPerReplica, 0);
                const need = level.reduce((a, x) => a + x.replicas * x.weightPerReplica, 0);
                check(granted[j]! >= Math.floor((o.replicas * (cap - above)) / need - 1e-9), 'a pool got less than its proportional share');
              }
            });
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});
