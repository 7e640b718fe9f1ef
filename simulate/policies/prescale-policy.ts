import type { ForecastFeed } from '../forecast-feed';
import type { SimulatedPool } from '../pool-config';
import { planPool } from '../../src/planner/plan-pool';
import type { PoolSpec, SeriesPoint } from '../../src/planner/plan-types';
import { toPoolSizing } from '../../src/planner/planner-inputs';
import { reactiveTarget } from './reactive-hpa-policy';
import { type ScalingPolicy, type TickContext, reactiveMetric } from './scaling-policy';

/**
 * Prescale as deployed: the HPA gets two External metrics, the reactive load metric and the
 * plan (desired replicas against an AverageValue target of 1), and takes the larger, so the
 * forecast can only add capacity ahead of need, never remove what current load requires.
 * The plan is the planner's (`planPool`): the forecast quantile's peak from now until a pod
 * requested now would be Ready, plus headroom, within min/max. The planner's own scale-down
 * window is off here: the HPA that acts on the plan does the stabilizing.
 */
export function prescalePolicy(
  pool: SimulatedPool,
  feed: ForecastFeed,
  syncSeconds: number,
  hold: { scaleDownStabilizationSeconds?: number; reactiveHoldSeconds: number },
): ScalingPolicy {
  const { scaleDownStabilizationSeconds, reactiveHoldSeconds } = hold;
  const target = reactiveTarget(pool);
  const spec = plannerPool(pool, syncSeconds);
  return {
    name: 'prescale',
    ...(scaleDownStabilizationSeconds === undefined ? {} : { scaleDownStabilizationSeconds }),
    async decide(ctx: TickContext) {
      const reactive = reactiveMetric(recentPeak(ctx, reactiveHoldSeconds), target);
      const ahead = await feed.quantilesAfter(ctx.observed);
      if (ahead === null) return { kind: 'hpa', metrics: [reactive] };
      const step = ctx.observed.stepSeconds;
      const currentStartMs = ctx.observed.startMs + (ctx.observed.values.length - 1) * step * 1000;
      // The current step holds the observed load; the forecast quantile holds for the steps after it.
      const demand: SeriesPoint[] = [{ t: currentStartMs, value: Number.isFinite(ctx.load) ? ctx.load : 0 }];
      ahead.forEach((value, j) => demand.push({ t: currentStartMs + (j + 1) * step * 1000, value }));
      const plan = planPool({ stepSeconds: syncSeconds, horizonSeconds: 0, pool: spec, demand }, ctx.nowMs);
      const replicas = plan.steps[0]?.replicas ?? pool.minReplicas;
      return { kind: 'hpa', metrics: [reactive, { total: replicas, averageValue: 1 }] };
    },
  };
}

/** Forecast steps the feed must provide for a pool on a trace step (see {@link prescalePolicy}). */
export function prescaleHorizonSteps(pool: SimulatedPool, syncSeconds: number, stepSeconds: number): number {
  const lookSeconds = lookAheadSeconds(pool, syncSeconds);
  return Math.max(1, Math.ceil(lookSeconds / stepSeconds) + 1);
}

/** A pod requested now is Ready at the first sync at or after now + leadTime: the span a decision must cover. */
export function lookAheadSeconds(pool: SimulatedPool, syncSeconds: number): number {
  return Math.ceil(pool.leadTime / syncSeconds) * syncSeconds;
}

/**
 * Peak load over the last `holdSeconds` (the steps that overlap it): the reactive floor held
 * the way the HPA's scale-down stabilization would hold it, so Prescale's HPA can run without
 * that window (its plan already looks ahead) and still never keep less than reactive HPA.
 * NaN when the current load is missing (the metric fetch fails).
 */
export function recentPeak(ctx: TickContext, holdSeconds: number): number {
  if (!Number.isFinite(ctx.load)) return Number.NaN;
  const { startMs, stepSeconds, values } = ctx.observed;
  const first = Math.max(0, Math.floor((ctx.nowMs - holdSeconds * 1000 - startMs) / (stepSeconds * 1000)));
  let peak = ctx.load;
  for (let i = first; i < values.length; i++) {
    const v = values[i] as number;
    if (v > peak) peak = v;
  }
  return peak;
}

/**
 * The pool as the planner sees it, through the core's own mapping (`toPoolSizing`), with the
 * two things the replay decides: the lead time rounded up to whole syncs (when a new pod is
 * first seen Ready), and no planner scale-down (the HPA acting on the plan stabilizes).
 */
function plannerPool(pool: SimulatedPool, syncSeconds: number): PoolSpec {
  return {
    ...toPoolSizing(pool),
    leadTimeSeconds: lookAheadSeconds(pool, syncSeconds),
    scaleDown: { stabilizationWindowSeconds: 0, maxStepDown: Number.POSITIVE_INFINITY },
  };
}
