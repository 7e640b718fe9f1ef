import { type DemandNeed, demandNeeds } from './demand';
import type { PoolDemand, Quotas } from './plan-types';
import { reason } from './reasons';
import { floorNeeds } from './schedules';

/**
 * The per-step value one pool asks for before the time-coupled limits (scale-down, step-up)
 * and the cross-pool quotas: max(load need, floor, min), cut to `maxReplicas`, then raised
 * early where `maxStepUp` would otherwise make a later step late ("ramp ahead").
 */
export function desiredSteps(p: PoolDemand, grid: readonly number[], quotas: Quotas): DemandNeed[] {
  const { pool } = p;
  const loads = demandNeeds(pool, grid, p.demand, p.backlog);
  const floors = floorNeeds(p.floors ?? [], grid, pool.leadTimeSeconds);
  const out = loads.map((load, i): DemandNeed => {
    let best = load;
    const floor = floors[i];
    if (floor && floor.replicas > best.replicas) best = floor;
    if (pool.minReplicas > best.replicas) {
      best = { replicas: pool.minReplicas, reason: reason('min', `minReplicas ${pool.minReplicas} (${best.reason.term} asks ${best.replicas})`, { minReplicas: pool.minReplicas, asked: best.replicas }) };
    }
    if (best.replicas > pool.maxReplicas) {
      best = {
        replicas: pool.maxReplicas,
        reason: reason('quota:maxReplicas', `cut from ${best.replicas} (${best.reason.term}) to maxReplicas ${pool.maxReplicas}`, {
          limit: pool.maxReplicas,
          asked: best.replicas,
        }),
      };
    }
    return best;
  });
  const stepUp = quotas.maxStepUp;
  if (stepUp !== undefined && stepUp > 0) {
    for (let i = out.length - 2; i >= 0; i--) {
      const later = out[i + 1] as DemandNeed;
      const needed = later.replicas - stepUp;
      if (needed > (out[i] as DemandNeed).replicas) {
        out[i] = {
          replicas: needed,
          reason: reason(later.reason.term, `ramping ahead (maxStepUp ${stepUp}) toward ${later.replicas} — ${later.reason.detail}`, {
            ...later.reason.values,
            rampTarget: later.replicas,
            maxStepUp: stepUp,
          }),
        };
      }
    }
  }
  return out;
}
