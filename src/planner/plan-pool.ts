import { planAll } from './plan-all';
import type { PoolPlan, PoolPlanInput } from './plan-types';

/**
 * Plans one pool: the replica count for each step from the step holding `nowMs` to
 * `nowMs + horizonSeconds`, each with the term that decided it. Pure: a function of the
 * input and `nowMs` only.
 *
 * Per step: the forecast (or queue) need at the peak of `[t, t + leadTime]` with headroom,
 * raised to the schedule/event floors (pre-warmed `leadTime` ahead) and `minReplicas`, cut
 * to `maxReplicas`; then gradual scale-down (`stabilizeStep`), `maxStepUp`, and the GPU and
 * cost quotas in `input.quotas`. For several pools sharing quotas use `planAll`.
 *
 * The replay simulator (issue 7) calls this; keep the signature stable.
 */
export function planPool(input: PoolPlanInput, nowMs: number): PoolPlan {
  const { stepSeconds, horizonSeconds, quotas, ...demand } = input;
  return planAll({ stepSeconds, horizonSeconds, quotas: quotas ?? {}, pools: [demand] }, nowMs)[0] as PoolPlan;
}
