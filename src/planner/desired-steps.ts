import { type DemandNeed, demandNeeds } from './demand';
import type { PoolDemand, Quotas } from './plan-types';
import { isoMinute, reason } from './reasons';
import { floorNeeds } from './schedules';

/**
 * The per-step value one pool asks for before the time-coupled limits (scale-down, step-up)
 * and the cross-pool quotas: max(load need, floor, stale hold, min), cut to `maxReplicas`, then raised
 * early where `maxStepUp` would otherwise make a later step late ("ramp ahead").
 */
export function desiredSteps(p: PoolDemand, grid: readonly number[], quotas: Quotas): DemandNeed[] {
  const { pool } = p;
  const loads = demandNeeds(pool, grid, p.demand, p.backlog, p.sizing);
  const floors = floorNeeds(p.floors ?? [], grid, pool.leadTimeSeconds);
  const hold = p.staleHold;
  const out = loads.map((load, i): DemandNeed => {
    let best = load;
    const floor = floors[i];
    if (floor && floor.replicas > best.replicas) best = floor;
    if (hold !== undefined && hold > best.replicas) {
      const asked = best.replicas;
      const term = best.reason.term;
      best = { replicas: hold, reason: reason('stale-hold', () => `held at ${hold}: the input is stale, and stale input never scales down (${term} asks ${asked})`, { held: hold, asked }) };
    }
    if (pool.minReplicas > best.replicas) {
      const asked = best.replicas;
      const term = best.reason.term;
      best = { replicas: pool.minReplicas, reason: reason('min', () => `minReplicas ${pool.minReplicas} (${term} asks ${asked})`, { minReplicas: pool.minReplicas, asked }) };
    }
    if (best.replicas > pool.maxReplicas) {
      const asked = best.replicas;
      const term = best.reason.term;
      best = {
        replicas: pool.maxReplicas,
        reason: reason('quota:maxReplicas', () => `cut from ${asked} (${term}) to maxReplicas ${pool.maxReplicas}`, { limit: pool.maxReplicas, asked }),
      };
    }
    return best;
  });
  const stepUp = quotas.maxStepUp;
  if (stepUp !== undefined && stepUp > 0) {
    // Walk back from each step the plan must reach; a ramp names the step it ramps toward
    // (not the chain of ramps), so reasons stay O(1) in size.
    let target: { replicas: number; t: number; term: DemandNeed['reason']['term'] } | null = null;
    for (let i = out.length - 1; i >= 0; i--) {
      const cur = out[i] as DemandNeed;
      const needed = target === null ? -Infinity : target.replicas - stepUp * (stepsBetween(grid, i, target.t));
      if (target !== null && needed > cur.replicas) {
        const to = target;
        out[i] = {
          replicas: needed,
          reason: reason(to.term, () => `ramping ahead (maxStepUp ${stepUp}) to reach ${to.replicas} at ${isoMinute(to.t)} (${to.term})`, {
            rampTarget: to.replicas,
            rampTargetAtMs: to.t,
            maxStepUp: stepUp,
          }),
        };
      } else {
        target = { replicas: cur.replicas, t: grid[i] as number, term: cur.reason.term };
      }
    }
  }
  return out;
}

/** Steps from index `i` to the step at epoch ms `t` on a regular grid. */
function stepsBetween(grid: readonly number[], i: number, t: number): number {
  const step = grid.length > 1 ? (grid[1] as number) - (grid[0] as number) : 1;
  return Math.round((t - (grid[i] as number)) / step);
}
