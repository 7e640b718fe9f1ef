import type { PolicyMetrics } from './elasticity-metrics';
import type { SimulatedPool } from './pool-config';

/** A pool's two prices: a replica-hour, and a replica-hour of demand left unserved (`pools[].underProvisionCost`). */
export interface PoolPrices {
  readonly costPerReplicaHour: number;
  readonly underProvisionCost: number;
}

/**
 * The expected cost of a replay at the pool's own prices: replica-hours at costPerReplicaHour
 * plus the missing replica-hours at underProvisionCost. It is what cost-aware sizing minimises,
 * and it weighs what a share of under-provisioned time alone does not: how much was missing,
 * against what the cover cost.
 */
export function expectedCost(m: Pick<PolicyMetrics, 'replicaHours' | 'unservedReplicaHours'>, prices: PoolPrices): number {
  return prices.costPerReplicaHour * m.replicaHours + prices.underProvisionCost * m.unservedReplicaHours;
}

/** The pool's prices, or null when it does not price a missing replica-hour (no `underProvisionCost`). */
export function poolPrices(pool: Pick<SimulatedPool, 'costPerReplicaHour' | 'underProvisionCost'>): PoolPrices | null {
  return pool.underProvisionCost === undefined ? null : { costPerReplicaHour: pool.costPerReplicaHour, underProvisionCost: pool.underProvisionCost };
}
