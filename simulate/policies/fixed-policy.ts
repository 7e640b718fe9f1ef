import { quantileSorted } from '../../models/core/quantile-grid';
import { type SimulatedPool, replicasNeeded } from '../pool-config';
import type { ScalingPolicy } from './scaling-policy';

/** The level a static pool is sized for: the trace's 95th percentile of load. */
export const FIXED_PERCENTILE = 0.95;

/**
 * Fixed capacity sized with hindsight at the whole trace's p95, as someone who provisions for
 * "busy but not the worst minute" would. It never scales, so it never waits for a cold start.
 */
export function fixedPolicy(trace: ArrayLike<number>, pool: SimulatedPool): ScalingPolicy {
  const replicas = fixedReplicas(trace, pool);
  return { name: 'fixed', decide: () => ({ kind: 'direct', replicas }) };
}

export function fixedReplicas(trace: ArrayLike<number>, pool: SimulatedPool): number {
  const finite = Float64Array.from(Array.prototype.filter.call(trace, Number.isFinite) as number[]).sort();
  const p95 = quantileSorted(finite, FIXED_PERCENTILE);
  return Math.min(pool.maxReplicas, Math.max(pool.minReplicas, replicasNeeded(Number.isFinite(p95) ? p95 : 0, pool)));
}
