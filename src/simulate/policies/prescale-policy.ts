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
export function prescalePolicy(pool: SimulatedPool, feed: ForecastFeed, syncSeconds: number, scaleDownStabilizationSeconds?: number): ScalingPolicy {
  const target = reactiveTarget(pool);
  const lookSeconds = lookAheadSeconds(pool, syncSeconds);
  return {
    name: 'prescale',
    ...(scaleDownStabilizationSeconds === undefined ? {} : { scaleDownStabilizationSeconds }),
    async decide(ctx: TickContext) {
      const reactive = reactiveMetric(ctx.load, target);
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
