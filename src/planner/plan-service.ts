import type { Config } from '../config/schema';
import { PrescaleError } from '../errors/prescale-error';
import type { PublishedForecast } from '../forecast/published-forecast';
import { planAll } from './plan-all';
import type { PlanStep, PoolDemand, Quotas } from './plan-types';
import { expandFloors } from './schedules';
import type { Clock } from '../time/clock';
import { toEvent, toPoolSpec, toSchedule } from './planner-inputs';
import { type CalibratedLevel, type DemandSizing, type SizingKeys, servedLevels, sizedDemand } from './sizing';
import { staleHoldReplicas } from './stale-hold';
import { markTrustFallback } from './trust-fallback-reason';

/** The forecast reads the plan service needs (a `ForecastService` satisfies it). */
export interface ForecastReader {
  /** @throws {PrescaleError} FORECAST_NOT_READY (and SERIES_NOT_FOUND) */
  forecast(name: string, horizonSeconds?: number): PublishedForecast;
}

/** What the forecast behind a pool's plan looked like. */
export interface PlanForecastInfo {
  series: string;
  /** The quantile level the pool was sized at (the newsvendor level for a cost-aware pool). */
  quantile: number;
  /** Why that level (`newsvendor q0.87 = u/(u+c) = 6.5/(6.5+1)`, or `q0.9 (pool quantile)`). */
  quantileWhy?: string;
  model: string | null;
  stale: boolean;
  /** Why there is no forecast: the series has no sample (the plan then holds floors, `minReplicas` and the stale hold). */
  unavailable?: string;
  fallbackReason?: string;
  /** Set while the trust gate holds the series at the reactive demand: the gate's line. */
  trustFallback?: string;
  /** For a pool with `calibrateDecisions`: the level its binding decisions' outcomes moved it to, and those outcomes. */
  decisionCalibration?: CalibratedLevel;
}

/** What the plan service asks of decision calibration (a `DecisionCalibrator` satisfies it). */
export interface DecisionCalibration {
  levelFor(pool: string, served: readonly number[], newest: { t: number; v: number }): CalibratedLevel | undefined;
  note(pool: string, stepStartMs: number, replicas: number): void;
}

export interface PoolPlanView {
  pool: string;
  forecast: PlanForecastInfo;
  steps: PlanStep[];
}

export interface PlanSet {
  generatedAtMs: number;
  stepSeconds: number;
  horizonSeconds: number;
  pools: PoolPlanView[];
}

/** Live facts from the cluster, when the actuator has them. */
export interface PlanContext {
  /** Replicas running now, per pool. */
  currentReplicas?: ReadonlyMap<string, number>;
  /** GPUs the namespace ResourceQuota leaves to the pools (`requests.nvidia.com/gpu`). */
  resourceQuotaGpus?: number;
}

/** The forecasts one plan was made from: each pool's series and queue reads, by identity. */
type PlanInputs = readonly (PublishedForecast | string)[];

/**
 * Turns the cached forecasts and the config into plans for every pool, on one time grid
 * (the finest pool series step, to the shortest pool series horizon), under the shared
 * quotas. Reads only the forecast cache; the planning itself is the pure `planAll`.
 *
 * One plan per step: `current()` is the plan every reader uses — the `prescale-plan-<pool>`
 * metric (HPA, KEDA), `GET /v1/plans` and the actuator — so they cannot disagree when a
 * stabilization window, `maxStepUp` or the namespace GPU quota binds. It is memoized by the
 * start of the step that holds now, and made again within the step only when its inputs
 * change: a new forecast view, or new cluster facts from `reportContext`.
 *
 * Stale hold (docs/degradation.md, row 2): while a pool's series (or queue) is stale, its
 * plan is at least what the pool's previous `current()` plan had in force and the reported
 * current replicas (`staleHoldReplicas`), so stale input never scales a pool down.
 *
 * Decision calibration (`pools[].calibrateDecisions`, src/decision-calibration/): a calibrated
 * pool is sized at the level its `calibration` returns for the forecast's newest observation,
 * and each new `current()` plan notes the replicas it put in force, so they are scored one lead
 * time later. `plan()` notes nothing: a what-if is not a decision.
 */
export class PlanService {
  private readonly config: Readonly<Config>;
  private context: PlanContext = {};
  /** Bumped by every `reportContext`, so the memo knows the facts changed. */
  private contextVersion = 0;
  private memo: { stepStartMs: number; contextVersion: number; inputs: PlanInputs; set: PlanSet } | null = null;
  /** Per pool, the replicas the last `current()` plan had in force (its first step): what a stale plan holds. */
  private readonly lastPlanned = new Map<string, number>();

  constructor(private readonly deps: { config: Readonly<Config>; forecasts: ForecastReader; clock: Clock; calibration?: DecisionCalibration }) {
    this.config = deps.config;
  }

  poolNames(): string[] {
    return this.config.pools.map((p) => p.name);
  }

  /**
   * The actuator reports the cluster facts it read (current replicas, the GPUs the namespace
   * ResourceQuota leaves) before it reads `current()`: from then on every reader's plan is made
   * with them. The facts are kept until the next report.
   */
  reportContext(context: PlanContext): void {
    this.context = context;
    this.contextVersion++;
  }

  /** The plan of the step that holds the clock's now, with the last reported cluster facts (see the class doc). */
  current(): PlanSet {
    const nowMs = this.deps.clock.now();
    const stepMs = this.grid().stepSeconds * 1000;
    const stepStartMs = Math.floor(nowMs / stepMs) * stepMs;
    const reads = this.readAll();
    const m = this.memo;
    if (m && m.stepStartMs === stepStartMs && m.contextVersion === this.contextVersion && sameInputs(m.inputs, reads.inputs)) return m.set;
    const set = this.planWith(reads, this.context, nowMs);
    this.memo = { stepStartMs, contextVersion: this.contextVersion, inputs: reads.inputs, set };
    for (const view of set.pools) {
      const first = view.steps[0];
      if (first) this.lastPlanned.set(view.pool, first.replicas);
      // Only a plan made from the series' own forecast is the forecast's decision to score.
      const f = view.forecast;
      if (first && f.decisionCalibration && !f.stale && f.trustFallback === undefined) this.deps.calibration?.note(view.pool, stepStartMs, first.replicas);
    }
    return set;
  }

  /**
   * A fresh plan at the clock's now with the given facts, outside the per-step memo (the CLI
   * and what-if callers). Serving readers use `current()`.
   */
  plan(context: PlanContext = {}): PlanSet {
    return this.planWith(this.readAll(), context, this.deps.clock.now());
  }

  /** One pool of `current()` (planned together with the others: quotas are shared). @throws {PrescaleError} POOL_NOT_FOUND. */
  planFor(pool: string): PoolPlanView & Omit<PlanSet, 'pools'> {
    if (!this.config.pools.some((p) => p.name === pool)) throw new PrescaleError('POOL_NOT_FOUND', `pool "${pool}" is not configured`, 'pool');
    const set = this.current();
    const view = set.pools.find((p) => p.pool === pool) as PoolPlanView;
    return { generatedAtMs: set.generatedAtMs, stepSeconds: set.stepSeconds, horizonSeconds: set.horizonSeconds, ...view };
  }

  private readAll(): { inputs: PlanInputs; pools: { info: PlanForecastInfo; stale: boolean; demand: PoolDemand['demand']; sizing?: DemandSizing; backlog?: PoolDemand['demand'] }[] } {
    const inputs: (PublishedForecast | string)[] = [];
    const pools = this.config.pools.map((p) => {
      const main = this.read(p.series, p, p.name);
      inputs.push(main.source);
      const sizing = main.sizing ? { sizing: main.sizing } : {};
      if (!p.queue) return { info: main.info, stale: main.info.stale, demand: main.demand, ...sizing };
      const queue = this.read(p.queue.series, p);
      inputs.push(queue.source);
      return { info: main.info, stale: main.info.stale || queue.info.stale, demand: main.demand, ...sizing, backlog: queue.demand };
    });
    return { inputs, pools };
  }

  private planWith(reads: ReturnType<PlanService['readAll']>, context: PlanContext, nowMs: number): PlanSet {
    const { stepSeconds, horizonSeconds } = this.grid();
    const maxLeadMs = Math.max(0, ...this.config.pools.map((p) => p.leadTime)) * 1000;
    const floors = expandFloors(this.config.schedules.map(toSchedule), this.config.events.map(toEvent), nowMs - stepSeconds * 1000, nowMs + horizonSeconds * 1000 + maxLeadMs);
    const pools: PoolDemand[] = this.config.pools.map((p, i) => {
      const r = reads.pools[i] as (typeof reads.pools)[number];
      const current = context.currentReplicas?.get(p.name);
      const hold = staleHoldReplicas({ stale: r.stale, previousPlanned: this.lastPlanned.get(p.name), currentReplicas: current });
      return {
        pool: toPoolSpec(p),
        demand: r.demand,
        ...(r.sizing ? { sizing: r.sizing } : {}),
        ...(r.backlog ? { backlog: r.backlog } : {}),
        floors: floors.get(p.name) ?? [],
        ...(current !== undefined ? { currentReplicas: current } : {}),
        ...(hold !== undefined ? { staleHold: hold } : {}),
      };
    });
    const quotas: Quotas = {
      ...this.config.quotas,
      ...(context.resourceQuotaGpus !== undefined ? { resourceQuotaGpus: context.resourceQuotaGpus } : {}),
    };
    const plans = planAll({ stepSeconds, horizonSeconds, quotas, pools }, nowMs);
    return {
      generatedAtMs: nowMs,
      stepSeconds,
      horizonSeconds,
      pools: plans.map((plan, i) => {
        const info = (reads.pools[i] as (typeof reads.pools)[number]).info;
        return { pool: plan.pool, forecast: info, steps: info.trustFallback !== undefined ? markTrustFallback(plan.steps, info.trustFallback) : plan.steps };
      }),
    };
  }

  private grid(): { stepSeconds: number; horizonSeconds: number } {
    const series = new Map(this.config.series.map((s) => [s.name, s]));
    const used = this.config.pools.map((p) => series.get(p.series)).filter((s) => s !== undefined);
    if (used.length === 0) return { stepSeconds: 60, horizonSeconds: 3600 };
    return { stepSeconds: Math.min(...used.map((s) => s.step)), horizonSeconds: Math.min(...used.map((s) => s.horizon)) };
  }

  /**
   * One series' forecast read at the pool's sizing level (`sizedDemand`, shared with the
   * replay); `calibratedPool` names the pool whose decision calibration sets that level (the
   * pool's own series, not its queue).
   */
  private read(series: string, keys: SizingKeys, calibratedPool?: string): { info: PlanForecastInfo; demand: PoolDemand['demand']; sizing?: DemandSizing; source: PublishedForecast | string } {
    const quantile = keys.quantile;
    try {
      const f = this.deps.forecasts.forecast(series);
      const calibrated = calibratedPool === undefined ? undefined : this.deps.calibration?.levelFor(calibratedPool, servedLevels(f.points), f.lastObserved);
      const { demand, sizing } = sizedDemand(f.points, calibrated ? { ...keys, calibrated } : keys);
      return {
        source: f,
        info: {
          series,
          quantile: sizing.quantile,
          quantileWhy: sizing.why,
          model: f.model,
          stale: f.stale,
          ...(f.fallbackReason !== undefined ? { fallbackReason: f.fallbackReason } : {}),
          ...(f.trustFallback ? { trustFallback: f.trustFallback.detail } : {}),
          ...(calibrated ? { decisionCalibration: calibrated } : {}),
        },
        demand,
        ...(keys.underProvisionCost !== undefined ? { sizing } : {}),
      };
    } catch (err) {
      if (!(err instanceof PrescaleError)) throw err;
      // No sample yet (or an unknown series): the plan holds the floors, minReplicas and the stale hold, and says why.
      return { info: { series, quantile, model: null, stale: true, unavailable: err.message }, demand: [], source: err.message };
    }
  }
}

/** Same forecast views (the forecast service hands the same object until its view changes), or the same reason for none. */
function sameInputs(a: PlanInputs, b: PlanInputs): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
