import type { AdvisoryMeasures, AdvisoryReport } from '../src/advisory/advisory-report';
import type { AdvisorySample } from '../src/advisory/advisory-sample';
import type { PoolConfig } from '../src/config/planner-schema';
import { ElasticityAccumulator, type PolicyMetrics } from './elasticity-metrics';

export interface AdvisoryWindow {
  pool: PoolConfig;
  /** The pool's advisory samples in the window, ascending `t`. */
  samples: readonly AdvisorySample[];
  fromMs: number;
  toMs: number;
  /**
   * How long one sample holds at most (the actuator interval × 2): a gap longer than that
   * (the service was down) is not measured rather than filled with a stale sample.
   */
  maxSampleSeconds: number;
}

/**
 * The advisory report: the simulator's elasticity measures (`ElasticityAccumulator`, the same
 * as `prescale simulate`) over the recorded history, once with the replicas the target ran
 * and once with the replicas following Prescale would have run. Pure.
 *
 * "With Prescale", a replica Prescale adds is Ready only a lead time after it was asked for:
 * Ready = min(withPrescale(t), max(actual(t), withPrescale(t − leadTime))). The replicas that
 * actually ran count as Ready in both columns (the API's replica count, not readiness).
 */
export function advisoryReport(w: AdvisoryWindow): AdvisoryReport {
  const { pool, samples } = w;
  const asRan = new ElasticityAccumulator(pool);
  const prescale = new ElasticityAccumulator(pool);
  let measuredSeconds = 0;
  let skipped = 0;
  let prevActual: number | null = null;
  let prevWith: number | null = null;
  const leadMs = pool.leadTime * 1000;
  samples.forEach((s, i) => {
    const next = samples[i + 1];
    const endMs = Math.min(next ? next.t : w.toMs, w.toMs, s.t + w.maxSampleSeconds * 1000);
    const seconds = Math.max(0, (endMs - s.t) / 1000);
    if (s.actual === null || s.demand === null || seconds === 0) {
      skipped++;
      return;
    }
    measuredSeconds += seconds;
    const earlier = valueBefore(samples, i, s.t - leadMs);
    const ready = Math.min(s.withPrescale, Math.max(s.actual, earlier ?? s.actual));
    asRan.add(s.demand, s.actual, s.actual, seconds);
    prescale.add(s.demand, ready, s.withPrescale, seconds);
    if (prevActual !== null && s.actual !== prevActual) asRan.addScalingAction();
    if (prevWith !== null && s.withPrescale !== prevWith) prescale.addScalingAction();
    prevActual = s.actual;
    prevWith = s.withPrescale;
  });
  const a = measures(asRan.finish(), measuredSeconds);
  const p = measures(prescale.finish(), measuredSeconds);
  const notes = [
    'Measured like `prescale simulate`: a minute is under-provisioned when the Ready replicas are fewer than ceil(observed demand / capacityPerReplica).',
    `With Prescale, a replica it adds is Ready only ${pool.leadTime}s (the pool's leadTime) after it is asked for.`,
  ];
  if (skipped > 0) notes.push(`${skipped} of ${samples.length} samples had no observed demand or no actual replica count (e.g. a ScaledObject target) and are not measured.`);
  if (samples.length === 0) notes.push('No advisory samples in the window: run with actuator.mode advisory (or list the pool in actuator.advisoryPools) with a target for the pool.');
  return {
    pool: pool.name,
    from: new Date(w.fromMs).toISOString(),
    to: new Date(w.toMs).toISOString(),
    samples: samples.length,
    measuredMinutes: round(measuredSeconds / 60),
    asRan: a,
    withPrescale: p,
    change: difference(p, a),
    notes,
  };
}

/** The `withPrescale` value in force at `tMs` (the last sample at or before it, searching back from `i`); null before the first. */
function valueBefore(samples: readonly AdvisorySample[], i: number, tMs: number): number | null {
  for (let j = i; j >= 0; j--) {
    const s = samples[j] as AdvisorySample;
    if (s.t <= tMs) return s.withPrescale;
  }
  return null;
}

function measures(m: PolicyMetrics, measuredSeconds: number): AdvisoryMeasures {
  return {
    underProvisionedMinutes: round((m.underProvisionedShare * measuredSeconds) / 60),
    underProvisionedShare: round(m.underProvisionedShare),
    unservedShare: round(m.unservedShare),
    replicaHours: round(m.replicaHours),
    gpuHours: round(m.gpuHours),
    cost: round(m.cost),
    scalingActions: m.scalingActions,
  };
}

function difference(p: AdvisoryMeasures, a: AdvisoryMeasures): AdvisoryMeasures {
  const keys = Object.keys(p) as (keyof AdvisoryMeasures)[];
  return Object.fromEntries(keys.map((k) => [k, round(p[k] - a[k])])) as unknown as AdvisoryMeasures;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
