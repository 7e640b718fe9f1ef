import type { ForecastFeed } from '../forecast-feed';
import type { SimulatedPool } from '../pool-config';
import { forecastReplicas } from './prescale-replicas';
import { reactiveTarget } from './reactive-hpa-policy';
import { type ScalingPolicy, type TickContext, reactiveMetric } from './scaling-policy';

/**
 * Prescale as deployed: the HPA gets two External metrics, the reactive load metric and the
 * plan (desired replicas against an AverageValue target of 1), and takes the larger, so the
 * forecast can only add capacity ahead of need, never remove what current load requires.
 * The plan covers every step from now until a pod requested at the next sync would be Ready.
 */
export function prescalePolicy(
  pool: SimulatedPool,
  feed: ForecastFeed,
  syncSeconds: number,
  hold: { scaleDownStabilizationSeconds?: number; reactiveHoldSeconds: number },
): ScalingPolicy {
  const { scaleDownStabilizationSeconds, reactiveHoldSeconds } = hold;
  const target = reactiveTarget(pool);
  const lookSeconds = lookAheadSeconds(pool, syncSeconds);
  return {
    name: 'prescale',
    ...(scaleDownStabilizationSeconds === undefined ? {} : { scaleDownStabilizationSeconds }),
    async decide(ctx: TickContext) {
      const reactive = reactiveMetric(recentPeak(ctx, reactiveHoldSeconds), target);
      const ahead = await feed.quantilesAfter(ctx.observed);
      if (ahead === null) return { kind: 'hpa', metrics: [reactive] };
      const step = ctx.observed.stepSeconds;
      const stepEndMs = ctx.observed.startMs + ctx.observed.values.length * step * 1000;
      // Forecast steps that start by now + lookSeconds; the current step is the observed load.
      const untilMs = ctx.nowMs + lookSeconds * 1000;
      const steps = untilMs >= stepEndMs ? Math.floor((untilMs - stepEndMs) / (step * 1000)) + 1 : 0;
      const loads = [Number.isFinite(ctx.load) ? ctx.load : 0, ...ahead.slice(0, steps)];
      return { kind: 'hpa', metrics: [reactive, { total: forecastReplicas(loads, pool), averageValue: 1 }] };
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
