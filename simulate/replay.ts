import type { RegularSeries } from '../models/core/forecaster';
import { ElasticityAccumulator, type PolicyMetrics } from './elasticity-metrics';
import { HpaController, type HpaMetric, type HpaSettings, defaultHpaSettings } from './hpa-controller';
import { PodSet } from './pod-lifecycle';
import type { SimulatedPool } from './pool-config';
import type { PolicyDecision, PolicyName, ScalingPolicy, TickContext } from './policies/scaling-policy';

export interface ReplayOptions {
  readonly pool: SimulatedPool;
  /** HPA sync period: 15 s, or the trace step when that is shorter. */
  readonly syncSeconds: number;
  /** Simulated time at the start that every policy runs through but no metric counts (forecaster training). */
  readonly warmupSeconds: number;
  /** Record Ready replicas per sync for plotting. */
  readonly recordCapacity?: boolean;
  /** Called now and then with (syncs done, syncs in all). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface PolicyReplay {
  readonly policy: PolicyName;
  readonly metrics: PolicyMetrics;
  /** Ready replicas at each sync (when recorded). */
  readonly ready?: Int32Array;
}

export interface ReplayResult {
  readonly syncSeconds: number;
  readonly startMs: number;
  /** First sync that counts toward the metrics. */
  readonly evaluationStartMs: number;
  readonly syncs: number;
  readonly policies: PolicyReplay[];
}

/** The HPA sync period the simulator uses for a trace step. */
export function syncSecondsFor(stepSeconds: number): number {
  return Math.min(15, stepSeconds);
}

interface Runner {
  readonly policy: ScalingPolicy;
  pods: PodSet;
  readonly hpa: HpaController;
  readonly acc: ElasticityAccumulator;
  readonly ready: Int32Array | undefined;
  spec: number;
}

/**
 * Replays every policy on the same trace, one HPA sync at a time. At each sync a policy sees
 * only the trace up to the current step (a prefix view: later values are not reachable), its
 * decision sets `spec.replicas` directly or through the HPA, pods appear and become Ready one
 * lead time later, and the interval until the next sync is scored. Pure: the same inputs give
 * the same result.
 */
export async function replay(trace: RegularSeries, policies: readonly ScalingPolicy[], options: ReplayOptions): Promise<ReplayResult> {
  const { pool, syncSeconds } = options;
  const values = Float64Array.from(trace.values as ArrayLike<number>);
  const stepMs = trace.stepSeconds * 1000;
  const syncMs = syncSeconds * 1000;
  const syncs = Math.floor((values.length * stepMs) / syncMs);
  const evaluationStartMs = trace.startMs + Math.min(options.warmupSeconds * 1000, Math.max(0, (syncs - 1) * syncMs));
  const runners: Runner[] = policies.map((policy) => ({
    policy,
    pods: new PodSet(pool.leadTime * 1000, 0),
    hpa: new HpaController(hpaSettingsFor(policy, pool)),
    acc: new ElasticityAccumulator(pool),
    ready: options.recordCapacity ? new Int32Array(syncs) : undefined,
    spec: 0,
  }));
  let stepCtx: TickContext | null = null;
  const progressEvery = Math.max(1, Math.floor(syncs / 200));
  for (let k = 0; k < syncs; k++) {
    const nowMs = trace.startMs + k * syncMs;
    const stepIndex = Math.floor((k * syncMs) / stepMs);
    if (stepCtx === null || stepCtx.stepIndex !== stepIndex) stepCtx = tickContext(trace, values, stepIndex, nowMs);
    const ctx: TickContext = stepCtx.nowMs === nowMs ? stepCtx : { ...stepCtx, nowMs };
    const counted = nowMs >= evaluationStartMs;
    for (const r of runners) {
      const decision = await r.policy.decide(ctx);
      const next = k === 0 ? initialReplicas(decision, pool) : nextReplicas(r, decision, nowMs);
      if (k === 0) r.pods = new PodSet(pool.leadTime * 1000, next);
      else if (next !== r.spec) {
        r.pods.scaleTo(next, nowMs);
        if (counted) r.acc.addScalingAction();
      }
      r.spec = next;
      const ready = r.pods.readyAt(nowMs);
      if (r.ready) r.ready[k] = ready;
      if (counted) {
        r.acc.add(ctx.load, ready, r.pods.total, syncSeconds);
        if (decision.kind === 'hpa' && decision.planReplicas !== undefined) r.acc.addPlanCover(Math.min(r.pods.total, decision.planReplicas), syncSeconds);
      }
    }
    if (options.onProgress && (k % progressEvery === 0 || k === syncs - 1)) options.onProgress(k + 1, syncs);
  }
  return {
    syncSeconds,
    startMs: trace.startMs,
    evaluationStartMs,
    syncs,
    policies: runners.map((r) => ({ policy: r.policy.name, metrics: r.acc.finish(), ...(r.ready ? { ready: r.ready } : {}) })),
  };
}

function tickContext(trace: RegularSeries, values: Float64Array, stepIndex: number, nowMs: number): TickContext {
  // A fresh subarray per step: policies cannot index past the present, by construction.
  const observed: RegularSeries = { startMs: trace.startMs, stepSeconds: trace.stepSeconds, values: values.subarray(0, stepIndex + 1), timezone: trace.timezone };
  return { nowMs, stepIndex, observed, load: values[stepIndex] as number };
}

/** Every policy starts pre-warmed at what it would ask for at the first sync. */
function initialReplicas(decision: PolicyDecision, pool: SimulatedPool): number {
  const wanted = decision.kind === 'direct' ? decision.replicas : Math.max(0, ...decision.metrics.filter((m): m is HpaMetric => m !== null).map((m) => Math.ceil(m.total / m.averageValue - 1e-9)));
  return clamp(wanted, pool);
}

function nextReplicas(r: Runner, decision: PolicyDecision, nowMs: number): number {
  if (decision.kind === 'direct') return decision.replicas;
  return r.hpa.sync(nowMs, r.spec, r.pods.total, decision.metrics);
}

function hpaSettingsFor(policy: ScalingPolicy, pool: SimulatedPool): HpaSettings {
  const defaults = defaultHpaSettings(pool.minReplicas, pool.maxReplicas);
  const window = policy.scaleDownStabilizationSeconds;
  const tolerance = policy.scaleUpTolerance;
  return {
    ...defaults,
    ...(window === undefined ? {} : { scaleDownStabilizationSeconds: window }),
    ...(tolerance === undefined ? {} : { scaleUpTolerance: tolerance }),
  };
}

function clamp(replicas: number, pool: SimulatedPool): number {
  return Math.min(pool.maxReplicas, Math.max(pool.minReplicas, replicas));
}
