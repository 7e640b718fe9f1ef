import type { SimulatedPool } from '../pool-config';

/**
 * The replicas Prescale asks for when `loads` is the forecast quantile over the steps a
 * decision made now must cover (the current step through now + leadTime): enough Ready
 * capacity for the largest of them plus the pool's headroom, within min/max. This is the
 * planner's forecast term for one pool without schedules or quotas.
 */
export function forecastReplicas(loads: readonly number[], pool: Pick<SimulatedPool, 'capacityPerReplica' | 'headroom' | 'minReplicas' | 'maxReplicas'>): number {
  let peak = 0;
  for (const v of loads) if (Number.isFinite(v) && v > peak) peak = v;
  const replicas = Math.ceil((peak * (1 + pool.headroom)) / pool.capacityPerReplica - 1e-9);
  return Math.min(pool.maxReplicas, Math.max(pool.minReplicas, replicas));
}
