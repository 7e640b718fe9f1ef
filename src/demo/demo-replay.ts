import type { AdvisorySample } from '../advisory/advisory-sample';
import type { PoolConfig, QuotasConfig } from '../config/planner-schema';
import { DecisionIds } from '../decisions/decision-id';
import type { DecisionRecord } from '../decisions/decision-record';
import { demoRate } from './demo-rate';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** The reactive autoscaler of the replay: an HPA at 100 % target that sees the last minute's load. */
const HPA_METRIC_LAG_MS = MINUTE_MS;
/** The HPA's default scale-down stabilization window. */
const HPA_STABILIZATION_MS = 5 * MINUTE_MS;
/** The day-before forecast looks ±this far around the same time of day and takes the peak (a p90-like margin for bursts). */
const FORECAST_SPREAD_MS = 10 * MINUTE_MS;

export interface DemoReplayOptions {
  pool: PoolConfig;
  quotas: QuotasConfig;
  seed: number;
  /** Window replayed, epoch ms. */
  fromMs: number;
  toMs: number;
  /** One advisory sample per actuator round (`actuator.interval`). */
  intervalSeconds: number;
  ids?: DecisionIds;
}

export interface DemoReplay {
  samples: AdvisorySample[];
  decisions: DecisionRecord[];
}

/**
 * A day of the demo in advisory mode, so the dashboard and `GET /v1/pools/{pool}/advisory`
 * show something real at once. The demo has no cluster, so "as it ran" is a reactive HPA
 * simulated on the demo load (scale-up Ready after the pool's lead time, scale-down after a
 * 5-minute stabilization), and "with Prescale" sizes each round for `now + leadTime` from
 * a seasonal-naive forecast (the same time the day before, peak of ±10 minutes), never below
 * the current observation (safety rule 1), with the pool's headroom and gradual scale-down.
 * Both read the same deterministic demo load, so a replay after a restart writes the same rows.
 */
export function replayDemo(o: DemoReplayOptions): DemoReplay {
  const { pool, seed } = o;
  const stepMs = o.intervalSeconds * 1000;
  const leadMs = pool.leadTime * 1000;
  const ids = o.ids ?? new DecisionIds();
  const clamp = (n: number): number => Math.min(pool.maxReplicas, Math.max(pool.minReplicas, n));
  const reactive = (t: number): number => clamp(Math.ceil(demoRate(t - HPA_METRIC_LAG_MS, seed) / pool.capacityPerReplica));
  const samples: AdvisorySample[] = [];
  const decisions: DecisionRecord[] = [];
  let previous: number | null = null;
  let recorded = '';
  for (let t = o.fromMs; t <= o.toMs; t += stepMs) {
    const demand = demoRate(t, seed);
    const actual = readyReplicas(t, leadMs, stepMs, reactive);
    const forecast = Math.max(demand, peak(t + leadMs - DAY_MS, seed, stepMs));
    const forecastReplicas = Math.ceil((forecast * (1 + pool.headroom)) / pool.capacityPerReplica);
    let planned = clamp(forecastReplicas);
    if (previous !== null && planned < previous - pool.scaleDown.maxStepDown) planned = previous - pool.scaleDown.maxStepDown;
    samples.push({ pool: pool.name, t, planned, actual, withPrescale: planned, demand: round3(demand) });
    // Like the advisory recorder: a round that would change the target is a decision, recorded once per (from, to).
    if (planned !== actual && `${actual}>${planned}` !== recorded) {
      decisions.push(decision(o, ids.next(t), t, actual, planned, { demand, forecast, forecastReplicas }));
      recorded = `${actual}>${planned}`;
    }
    previous = planned;
  }
  return { samples, decisions };
}

/** Ready replicas of the simulated HPA at `t`: what it asked for a lead time ago, held for the stabilization window on the way down. */
function readyReplicas(t: number, leadMs: number, stepMs: number, reactive: (t: number) => number): number {
  let ready = 0;
  for (let s = t - leadMs - HPA_STABILIZATION_MS; s <= t - leadMs; s += Math.min(stepMs, MINUTE_MS)) ready = Math.max(ready, reactive(s));
  return ready;
}

function peak(center: number, seed: number, stepMs: number): number {
  let max = 0;
  for (let t = center - FORECAST_SPREAD_MS; t <= center + FORECAST_SPREAD_MS; t += Math.min(stepMs, MINUTE_MS)) max = Math.max(max, demoRate(t, seed));
  return max;
}

function decision(o: DemoReplayOptions, id: string, t: number, actual: number, planned: number, n: { demand: number; forecast: number; forecastReplicas: number }): DecisionRecord {
  const { pool, quotas } = o;
  const at = new Date(t).toISOString();
  const detail = `load ${round3(n.forecast)} at ${new Date(t + pool.leadTime * 1000).toISOString().slice(11, 16)} × ${1 + pool.headroom} / ${pool.capacityPerReplica} per replica = ${n.forecastReplicas}`;
  return {
    id,
    time: at,
    pool: pool.name,
    mode: 'advisory',
    target: { kind: 'Deployment', namespace: 'demo', name: pool.name, field: 'spec.replicas' },
    stepTime: at,
    from: actual,
    to: planned,
    outcome: 'advisory',
    who: 'demo-replay',
    inputs: {
      series: pool.series,
      model: 'seasonal-naive (demo replay)',
      forecastAt: at,
      quantile: pool.quantile,
      quantileReason: 'demo replay: the peak of ±10 minutes around the same time the day before',
      leadTimeSeconds: pool.leadTime,
      observedDemand: round3(n.demand),
      observedAt: at,
      forecastReplicas: n.forecastReplicas,
      stale: false,
      quotas: {
        maxGpus: quotas.maxGpus ?? null,
        maxCostPerHour: quotas.maxCostPerHour ?? null,
        maxStepUp: quotas.maxStepUp ?? null,
        resourceQuotaGpus: null,
        plannedGpus: planned * pool.gpusPerReplica,
        plannedCostPerHour: planned * pool.costPerReplicaHour,
      },
      boundBy: planned === n.forecastReplicas ? { term: 'forecast', detail, values: { load: round3(n.forecast), capacityPerReplica: pool.capacityPerReplica } } : { term: planned >= pool.maxReplicas ? 'quota:maxReplicas' : planned <= pool.minReplicas ? 'min' : 'stabilize', detail: `${detail}, bounded to ${planned}`, values: { load: round3(n.forecast) } },
    },
  };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
