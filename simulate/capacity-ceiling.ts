import { type SimulatedPool, replicasNeeded } from './pool-config';

/** Above this share of the trace, `prescale simulate` warns that the pool's ceiling caps demand. */
export const CEILING_WARNING_SHARE = 0.01;

export interface CeilingReport {
  /** Share of the trace steps with a value whose demand needs more than `maxReplicas` replicas (0–1). */
  readonly share: number;
  /** `maxReplicas × capacityPerReplica`: the most load any policy can serve. */
  readonly ceiling: number;
  /** The warning line, when `share` is above {@link CEILING_WARNING_SHARE}. */
  readonly warning?: string;
}

/**
 * How much of a trace no policy can serve because the pool's ceiling is below it. When that
 * share is large, every policy shows the same under-provisioning and the comparison says
 * nothing; usually `capacityPerReplica` is in another unit than the trace, or `maxReplicas` is
 * too low. Pure.
 */
export function capacityCeiling(demand: ArrayLike<number>, pool: Pick<SimulatedPool, 'capacityPerReplica' | 'maxReplicas'>, fromIndex = 0): CeilingReport {
  let counted = 0;
  let over = 0;
  for (let i = fromIndex; i < demand.length; i++) {
    const v = demand[i] as number;
    if (!Number.isFinite(v)) continue;
    counted++;
    if (replicasNeeded(v, pool) > pool.maxReplicas) over++;
  }
  const share = counted > 0 ? over / counted : 0;
  const ceiling = pool.maxReplicas * pool.capacityPerReplica;
  if (share <= CEILING_WARNING_SHARE) return { share, ceiling };
  const pct = (share * 100).toFixed(1);
  return {
    share,
    ceiling,
    warning: `warning: demand is above maxReplicas × capacityPerReplica (${pool.maxReplicas} × ${pool.capacityPerReplica} = ${ceiling}) on ${pct}% of the evaluated trace steps; every policy is under-provisioned there. Raise maxReplicas, or check that capacityPerReplica is in the trace's unit.`,
  };
}
