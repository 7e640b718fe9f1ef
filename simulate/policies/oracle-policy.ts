import type { RegularSeries } from '../../models/core/forecaster';
import { type SimulatedPool, replicasNeeded } from '../pool-config';
import type { ScalingPolicy, TickContext } from './scaling-policy';

/**
 * The oracle knows the whole trace. At each sync it holds exactly the replicas that any
 * policy must hold to have zero under-provisioning: a pod Ready at time s must exist from
 * s − leadTime on, so at time u at least max{need(s) : u ≤ s ≤ u + leadTime} pods must exist,
 * and with newest-first deletion that many suffices. It bypasses the HPA (no tolerance, no
 * stabilization), so its replica-hours are the lower bound on cost at zero under-provisioning
 * (within the pool's min/max; demand above maxReplicas is unservable for everyone).
 */
export function oraclePolicy(trace: RegularSeries, pool: SimulatedPool, syncSeconds: number): ScalingPolicy {
  const values = trace.values;
  const stepMs = trace.stepSeconds * 1000;
  // Pods created at the next sync are Ready at the first sync at or after next + leadTime.
  const lookMs = Math.ceil(pool.leadTime / syncSeconds) * syncSeconds * 1000;
  const need = Int32Array.from({ length: values.length }, (_, i) => replicasNeeded(values[i] as number, pool));
  return {
    name: 'oracle',
    decide(ctx: TickContext) {
      const last = Math.min(values.length - 1, Math.floor((ctx.nowMs + lookMs - trace.startMs) / stepMs));
      let replicas = 0;
      for (let i = ctx.stepIndex; i <= last; i++) replicas = Math.max(replicas, need[i] as number);
      return { kind: 'direct', replicas: Math.min(pool.maxReplicas, Math.max(pool.minReplicas, replicas)) };
    },
  };
}
