import type { ForecastFeed } from '../forecast-feed';
import type { SimulatedPool } from '../pool-config';
import { type ObservationFloorSettings, type ReplayForecastStages, SERVICE_OBSERVATION_FLOOR, missingTail, serveForecast } from '../decision-path';
import { planPool } from '../../src/planner/plan-pool';
import type { PoolSpec, SeriesPoint } from '../../src/planner/plan-types';
import { toPoolSizing } from '../../src/planner/planner-inputs';
import { steadyDemand } from '../../src/planner/burst-cover';
import { burstHeldCap } from '../../src/planner/burst-hold';
import { riseCoverDemand } from '../../src/planner/rise-cover';
import { type CalibratedLevel, type SizingKeys, servedLevels, sizedDemand, valueAtLevel } from '../../src/planner/sizing';
import { type DecisionCalibrationState, calibrateAt, calibratedLevel, calibrationBounds, isBinding, newsvendorMissRate, noteDecision } from '../../src/decision-calibration/decision-calibration';
import type { PublishedPoint } from '../../src/forecast/published-forecast';
import { staleHoldReplicas } from '../../src/planner/stale-hold';
import { reactiveTarget } from './reactive-hpa-policy';
import { type ScalingPolicy, type TickContext, reactiveMetric } from './scaling-policy';

export interface PrescalePolicyOptions {
  /** Scale-down stabilization of Prescale's HPA; 300 s (the default) when absent. */
  readonly scaleDownStabilizationSeconds?: number;
  /**
   * `behavior.scaleUp.tolerance` of Prescale's HPA; the cluster's 0.1 when absent. With ten
   * pods running a plan of eleven is inside 0.1 and not acted on; what 0 buys and costs is
   * measured in docs/simulate.md ("The HPA's scale-up tolerance").
   */
  readonly scaleUpTolerance?: number;
  /** How long the reactive floor holds a peak of observed load. */
  readonly reactiveHoldSeconds: number;
  /** The pool quantile (`pools[].quantile`), used when the pool has no `underProvisionCost`. */
  readonly quantile: number;
  /** The serving stages a replay goes through (calibration, trust gate): the seam of decision-path.ts. */
  readonly stages?: ReplayForecastStages;
  readonly observationFloor?: ObservationFloorSettings;
  /** Steps without a sample before the series is stale (`series[].staleAfter`, default 5). */
  readonly staleAfterSteps?: number;
  /** Leave the spread the reactive term already holds to it (`steadyDemand`, src/planner/burst-cover.ts); default false. */
  readonly burstCover?: boolean;
  /** Buy only the foreseen rise above the reactive cover (`riseCoverDemand`, src/planner/rise-cover.ts); default false. */
  readonly riseCover?: boolean;
  /**
   * With `riseCover`: hold a burst's capacity for this long while the sizing level still
   * reaches it (`burstHeldCap`, src/planner/burst-hold.ts); 0 (the default) holds nothing.
   */
  readonly burstHoldSeconds?: number;
}

/** The Prescale policy, with what its decision calibration reached (null when the pool does not calibrate, or before its first forecast). */
export interface PrescaleScalingPolicy extends ScalingPolicy {
  decisionCalibration(): CalibratedLevel | null;
}

/**
 * Prescale as deployed: the HPA gets two External metrics, the reactive load metric and the
 * plan (desired replicas against an AverageValue target of 1), and takes the larger, so the
 * forecast can only add capacity ahead of need, never remove what current load requires.
 *
 * The plan goes through the service's decision path, function for function: the model
 * forecast through calibration, the observation floor and the trust gate
 * (`serveForecast`, the seam in decision-path.ts), read at the pool's sizing level
 * (`sizedDemand`: the newsvendor quantile u / (u + c) for a pool with `underProvisionCost`,
 * else the pool quantile plus headroom), with the stale hold (`staleHoldReplicas`) and the
 * planner's scale-down from the last planned value (`planPool`). The planner's scale-down is
 * the pool's `scaleDown` when the pool file states it; otherwise it is off and the HPA that
 * acts on the plan does the stabilizing.
 */
export function prescalePolicy(pool: SimulatedPool, feed: ForecastFeed, syncSeconds: number, options: PrescalePolicyOptions): PrescaleScalingPolicy {
  const { scaleDownStabilizationSeconds, scaleUpTolerance, reactiveHoldSeconds } = options;
  const stages = options.stages ?? {};
  const floor = options.observationFloor ?? SERVICE_OBSERVATION_FLOOR;
  const staleAfter = options.staleAfterSteps ?? 5;
  const burstCover = options.burstCover ?? false;
  const riseCover = options.riseCover ?? false;
  const burstHoldSeconds = options.burstHoldSeconds ?? 0;
  const target = reactiveTarget(pool);
  const spec = plannerPool(pool, syncSeconds);
  const keys = { quantile: options.quantile, costPerReplicaHour: pool.costPerReplicaHour, underProvisionCost: pool.underProvisionCost };
  const decisions = pool.calibrateDecisions && pool.underProvisionCost !== undefined ? new ReplayDecisionCalibration(pool.underProvisionCost, pool.costPerReplicaHour) : null;
  // What the plan had in force at the end of the previous trace step: the service's `currentReplicas`
  // for scale-down, and what a stale plan holds.
  let planned: number | undefined;
  let plannedStep = -1;
  let previous: number | undefined;
  return {
    name: 'prescale',
    decisionCalibration: () => decisions?.level() ?? null,
    ...(scaleDownStabilizationSeconds === undefined ? {} : { scaleDownStabilizationSeconds }),
    ...(scaleUpTolerance === undefined ? {} : { scaleUpTolerance }),
    async decide(ctx: TickContext) {
      if (ctx.stepIndex !== plannedStep) {
        previous = planned;
        plannedStep = ctx.stepIndex;
      }
      const peak = recentPeak(ctx, reactiveHoldSeconds);
      const reactive = reactiveMetric(peak, target);
      const ahead = await feed.forecastAfter(ctx.observed);
      if (ahead === null) return { kind: 'hpa', metrics: [reactive] };
      const served = serveForecast(ahead, ctx.observed, stages, floor);
      const stepStartMs = ctx.observed.startMs + ctx.stepIndex * ctx.observed.stepSeconds * 1000;
      const sized = sizedDemand(served.points, decisions ? decisions.keys(keys, servedLevels(served.points), { t: stepStartMs, v: ctx.load }) : keys);
      const { sizing } = sized;
      const reactiveCover = peak * (1 + pool.headroom);
      const burstWindowCover = burstHoldSeconds > 0 ? recentPeak(ctx, burstHoldSeconds) * (1 + pool.headroom) : reactiveCover;
      const demand = riseCover
        ? risePart(sized.demand, served.points, reactiveCover, burstWindowCover, ctx.load)
        : burstCover
          ? steadyPart(sized.demand, served.points, reactiveCover, ctx.load)
          : sized.demand;
      const hold = staleHoldReplicas({ stale: missingTail(ctx.observed) >= staleAfter, previousPlanned: previous });
      const plan = planPool(
        {
          stepSeconds: syncSeconds,
          horizonSeconds: 0,
          pool: spec,
          demand,
          ...(pool.underProvisionCost !== undefined ? { sizing } : {}),
          ...(previous !== undefined ? { currentReplicas: previous } : {}),
          ...(hold !== undefined ? { staleHold: hold } : {}),
        },
        ctx.nowMs,
      );
      const replicas = plan.steps[0]?.replicas ?? pool.minReplicas;
      planned = replicas;
      decisions?.note({ stepStartMs, leadSeconds: spec.leadTimeSeconds, replicas, capacityPerReplica: pool.capacityPerReplica, binding: isBinding({ replicas, recentPeak: peak, headroom: pool.headroom, capacityPerReplica: pool.capacityPerReplica }) });
      return { kind: 'hpa', metrics: [reactive, { total: replicas, averageValue: 1 }], planReplicas: replicas };
    },
  };
}

/**
 * The replay's decision calibration (`pools[].calibrateDecisions`): the same pure steps as the
 * service's `DecisionCalibrator` (src/decision-calibration/), one state for the one pool.
 * Each step's observed load scores the decisions due by then, before the step is planned.
 */
class ReplayDecisionCalibration {
  private state: DecisionCalibrationState | null = null;
  private readonly missRate: number;

  constructor(
    private readonly underProvisionCost: number,
    private readonly costPerReplicaHour: number,
  ) {
    this.missRate = newsvendorMissRate(underProvisionCost, costPerReplicaHour);
  }

  keys(keys: SizingKeys, served: readonly number[], observed: { t: number; v: number }): SizingKeys {
    this.state = calibrateAt(this.state, calibrationBounds(this.underProvisionCost, this.costPerReplicaHour, served), observed);
    return { ...keys, calibrated: calibratedLevel(this.state, this.missRate) };
  }

  note(d: Parameters<typeof noteDecision>[1]): void {
    if (this.state) this.state = noteDecision(this.state, d);
  }

  level(): CalibratedLevel | null {
    return this.state ? calibratedLevel(this.state, this.missRate) : null;
  }
}

/** The sized demand with the spread the reactive term holds left to it, step by step (see `steadyDemand`). */
function steadyPart(demand: readonly SeriesPoint[], points: readonly PublishedPoint[], reactiveCover: number, observed: number): SeriesPoint[] {
  return demand.map((d, i) => {
    const p = points[i] as PublishedPoint;
    return { t: d.t, value: steadyDemand({ median: valueAtLevel(p.quantiles, 0.5, p.value), sized: d.value, reactiveCover, observed }) };
  });
}

/**
 * The sized demand with only the foreseen rise bought above the reactive cover (see
 * `riseCoverDemand`), that cover held up to the burst window's (`burstHeldCap`; the same as
 * the reactive cover when no burst window is set). The first point is the current step (the
 * observed load), kept as it is.
 */
function risePart(demand: readonly SeriesPoint[], points: readonly PublishedPoint[], reactiveCover: number, burstCover: number, observed: number): SeriesPoint[] {
  return demand.map((d, i) => {
    if (i === 0) return d;
    const cap = burstHeldCap({ sized: d.value, reactiveCover, burstCover });
    return { t: d.t, value: riseCoverDemand({ sized: d.value, mean: (points[i] as PublishedPoint).value, reactiveCover: cap, observed }) };
  });
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
 * The pool as the planner sees it, through the core's own mapping (`toPoolSizing`: a
 * cost-aware pool has no headroom), with the lead time rounded up to whole syncs (when a new
 * pod is first seen Ready), and the pool's `scaleDown` when stated, else none (the HPA acting
 * on the plan stabilizes).
 */
function plannerPool(pool: SimulatedPool, syncSeconds: number): PoolSpec {
  return {
    ...toPoolSizing(pool),
    leadTimeSeconds: lookAheadSeconds(pool, syncSeconds),
    scaleDown: pool.scaleDown
      ? { stabilizationWindowSeconds: pool.scaleDown.stabilizationWindow, maxStepDown: pool.scaleDown.maxStepDown }
      : { stabilizationWindowSeconds: 0, maxStepDown: Number.POSITIVE_INFINITY },
  };
}
