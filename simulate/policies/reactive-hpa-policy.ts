import type { SimulatedPool } from '../pool-config';
import { type PolicyDecision, type ScalingPolicy, type TickContext, reactiveMetric } from './scaling-policy';

/**
 * The HPA's `AverageValue` target for the reactive metric: the load one replica should carry so
 * that the pool keeps its headroom (capacity / (1 + headroom)).
 */
export function reactiveTarget(pool: SimulatedPool): number {
  return pool.capacityPerReplica / (1 + pool.headroom);
}

/**
 * Plain reactive HPA on the load metric: scales on what it sees now, pods come up after the
 * cold start. `scaleUpTolerance` is its `behavior.scaleUp.tolerance` (the cluster's 0.1 when absent).
 */
export function reactiveHpaPolicy(pool: SimulatedPool, scaleUpTolerance?: number): ScalingPolicy {
  const target = reactiveTarget(pool);
  return {
    name: 'reactive-hpa',
    ...(scaleUpTolerance === undefined ? {} : { scaleUpTolerance }),
    decide: (ctx: TickContext): PolicyDecision => ({ kind: 'hpa', metrics: [reactiveMetric(ctx.load, target)] }),
  };
}
