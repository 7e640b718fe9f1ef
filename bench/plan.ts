import { performance } from 'node:perf_hooks';
import { formatTable } from '../main/cli/format-table';
import { planAll } from '../src/planner/plan-all';
import type { PlanAllInput, PoolDemand } from '../src/planner/plan-types';
import { planPool } from '../src/planner/plan-pool';
import { expandFloors } from '../src/planner/schedules';

/**
 * bench:plan — time to plan 1,000 pools over a 1-hour horizon at 1-minute steps (61 steps
 * each), with lead times, headroom, a queue on every tenth pool, schedule and event floors,
 * gradual scale-down and all guard quotas binding (shared GPU and cost caps, maxStepUp).
 *
 * Peer in the same run: the reactive HPA formula (desired = ceil(load / target) per pool and
 * step, no lead time, no quotas), the floor any planner pays. Also shown: 1,000 independent
 * `planPool` calls (no shared quotas) and the schedule expansion (croner) the plan service adds.
 */
const POOLS = 1000;
const STEP_S = 60;
const HORIZON_S = 3600;
const NOW = Date.parse('2026-12-01T08:30:00Z');
const RUNS = 15;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function workload(): PlanAllInput {
  const rand = rng(7);
  const schedules = [{ name: 'business-hours', cron: '0 9 * * 1-5', durationSeconds: 10 * 3600, timezone: 'Europe/Berlin', floor: {} as Record<string, number> }];
  const events = [{ name: 'launch', startMs: NOW + 20 * 60_000, endMs: NOW + 4 * 3600_000, floor: {} as Record<string, number> }];
  const pools: PoolDemand[] = [];
  for (let i = 0; i < POOLS; i++) {
    const name = `pool-${i}`;
    if (i % 3 === 0) schedules[0]!.floor[name] = 2 + (i % 5);
    if (i % 7 === 0) events[0]!.floor[name] = 6;
    const base = 20 + rand() * 400;
    const peakAt = Math.floor(rand() * 60);
    const demand = Array.from({ length: 75 }, (_, k) => ({ t: NOW + k * 60_000, value: base * (1 + (k >= peakAt && k < peakAt + 15 ? 1.5 : 0)) * (0.9 + rand() * 0.2) }));
    pools.push({
      pool: {
        name,
        capacityPerReplica: 20 + (i % 4) * 10,
        leadTimeSeconds: (2 + (i % 7)) * 60,
        headroom: 0.15,
        minReplicas: 1,
        maxReplicas: 48,
        gpusPerReplica: 1 + (i % 2),
        costPerReplicaHour: 2.5,
        priority: i % 4,
        scaleDown: { stabilizationWindowSeconds: 300, maxStepDown: 2 },
        ...(i % 10 === 0 ? { queue: { drainTimeSeconds: 120 } } : {}),
      },
      demand,
      ...(i % 10 === 0 ? { backlog: demand.map((p) => ({ t: p.t, value: p.value * 30 })) } : {}),
      currentReplicas: 5,
    });
  }
  const floors = expandFloors(schedules, events, NOW - 60_000, NOW + HORIZON_S * 1000 + 600_000);
  for (const p of pools) p.floors = floors.get(p.pool.name) ?? [];
  return { stepSeconds: STEP_S, horizonSeconds: HORIZON_S, pools, quotas: { maxGpus: 12_000, maxCostPerHour: 25_000, maxStepUp: 8 } };
}

function reactive(input: PlanAllInput): number {
  let total = 0;
  for (const p of input.pools) {
    for (let s = 0; s <= HORIZON_S / STEP_S; s++) {
      const load = p.demand[s]?.value ?? 0;
      total += Math.max(p.pool.minReplicas, Math.min(p.pool.maxReplicas, Math.ceil(load / p.pool.capacityPerReplica)));
    }
  }
  return total;
}

function time(fn: () => unknown): { medianMs: number; p95Ms: number } {
  fn(); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(RUNS / 2)]!, p95Ms: samples[Math.min(RUNS - 1, Math.ceil(RUNS * 0.95) - 1)]! };
}

function main(): void {
  const input = workload();
  const plans = planAll(input, NOW);
  const steps = plans.reduce((n, p) => n + p.steps.length, 0);
  const cut = plans.reduce((n, p) => n + p.steps.filter((s) => s.reason.term.startsWith('quota:')).length, 0);
  const rows: string[][] = [['contender', 'pools', 'steps/pool', 'median ms', 'p95 ms', 'µs per pool']];
  const add = (name: string, r: { medianMs: number; p95Ms: number }): void => {
    rows.push([name, String(POOLS), String(steps / POOLS), r.medianMs.toFixed(1), r.p95Ms.toFixed(1), ((r.medianMs * 1000) / POOLS).toFixed(1)]);
  };
  add('prescale planAll (shared quotas)', time(() => planAll(input, NOW)));
  add('prescale planPool × 1000 (no shared quotas)', time(() => input.pools.map((p) => planPool({ ...p, stepSeconds: STEP_S, horizonSeconds: HORIZON_S, quotas: { maxStepUp: 8 } }, NOW))));
  add('schedule expansion (croner, per plan)', time(() => expandFloors([{ name: 'b', cron: '0 9 * * 1-5', durationSeconds: 36_000, timezone: 'Europe/Berlin', floor: {} }], [], NOW, NOW + 4_200_000)));
  add('peer: reactive HPA formula', time(() => reactive(input)));
  process.stdout.write(formatTable(rows));
  process.stdout.write(`\n${steps} planned steps; ${cut} cut by a quota (reason names it); ${RUNS} timed runs after one warm-up.\n`);
}

main();
