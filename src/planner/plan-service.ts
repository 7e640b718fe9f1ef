import type { Config } from '../config/schema';
import { PrescaleError } from '../errors/prescale-error';
import type { PublishedForecast } from '../forecast/published-forecast';
import { planAll } from './plan-all';
import type { PlanStep, PoolDemand, Quotas } from './plan-types';
import { expandFloors } from './schedules';
import type { Clock } from '../time/clock';
import { quantileSeries, toEvent, toPoolSpec, toSchedule } from './planner-inputs';

/** The forecast reads the plan service needs (a `ForecastService` satisfies it). */
export interface ForecastReader {
  /** @throws {PrescaleError} FORECAST_NOT_READY (and SERIES_NOT_FOUND) */
  forecast(name: string, horizonSeconds?: number): PublishedForecast;
}

/** What the forecast behind a pool's plan looked like. */
export interface PlanForecastInfo {
  series: string;
  quantile: number;
  model: string | null;
  stale: boolean;
  /** Why there is no forecast (the plan then holds floors and `minReplicas` only). */
  unavailable?: string;
  fallbackReason?: string;
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

/**
 * Turns the cached forecasts and the config into plans for every pool, on one time grid
 * (the finest pool series step, to the shortest pool series horizon), under the shared
 * quotas. Reads only the forecast cache; the planning itself is the pure `planAll`.
 */
export class PlanService {
  private readonly config: Readonly<Config>;

  constructor(private readonly deps: { config: Readonly<Config>; forecasts: ForecastReader; clock: Clock }) {
    this.config = deps.config;
  }

  private cached: PlanSet | null = null;

  /**
   * The plan without live cluster facts, reused for up to `maxAgeSeconds` within the same
   * plan step: metric reads (every HPA sync, every KEDA poll) must not re-plan every pool.
   */
  planCached(maxAgeSeconds = 15): PlanSet {
    const now = this.deps.clock.now();
    const c = this.cached;
    if (c && now >= c.generatedAtMs && now - c.generatedAtMs <= maxAgeSeconds * 1000 && Math.floor(now / (c.stepSeconds * 1000)) === Math.floor(c.generatedAtMs / (c.stepSeconds * 1000))) {
      return c;
    }
    return (this.cached = this.plan());
  }

  poolNames(): string[] {
    return this.config.pools.map((p) => p.name);
  }

  /** Plans for every pool at the clock's now. */
  plan(context: PlanContext = {}): PlanSet {
    const nowMs = this.deps.clock.now();
    const { stepSeconds, horizonSeconds } = this.grid();
    const maxLeadMs = Math.max(0, ...this.config.pools.map((p) => p.leadTime)) * 1000;
    const floors = expandFloors(this.config.schedules.map(toSchedule), this.config.events.map(toEvent), nowMs - stepSeconds * 1000, nowMs + horizonSeconds * 1000 + maxLeadMs);
    const infos: PlanForecastInfo[] = [];
    const pools: PoolDemand[] = this.config.pools.map((p) => {
      const { info, demand } = this.read(p.series, p.quantile);
      infos.push(info);
      const backlog = p.queue ? this.read(p.queue.series, p.quantile).demand : undefined;
      const current = context.currentReplicas?.get(p.name);
      return {
        pool: toPoolSpec(p),
        demand,
        ...(backlog ? { backlog } : {}),
        floors: floors.get(p.name) ?? [],
        ...(current !== undefined ? { currentReplicas: current } : {}),
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
      pools: plans.map((plan, i) => ({ pool: plan.pool, forecast: infos[i] as PlanForecastInfo, steps: plan.steps })),
    };
  }

  /** The plan of one pool (planned together with the others: quotas are shared). @throws {PrescaleError} POOL_NOT_FOUND. */
  planFor(pool: string, context: PlanContext = {}): PoolPlanView & Omit<PlanSet, 'pools'> {
    if (!this.config.pools.some((p) => p.name === pool)) throw new PrescaleError('POOL_NOT_FOUND', `pool "${pool}" is not configured`, 'pool');
    const set = this.plan(context);
    const view = set.pools.find((p) => p.pool === pool) as PoolPlanView;
    return { generatedAtMs: set.generatedAtMs, stepSeconds: set.stepSeconds, horizonSeconds: set.horizonSeconds, ...view };
  }

  private grid(): { stepSeconds: number; horizonSeconds: number } {
    const series = new Map(this.config.series.map((s) => [s.name, s]));
    const used = this.config.pools.map((p) => series.get(p.series)).filter((s) => s !== undefined);
    if (used.length === 0) return { stepSeconds: 60, horizonSeconds: 3600 };
    return { stepSeconds: Math.min(...used.map((s) => s.step)), horizonSeconds: Math.min(...used.map((s) => s.horizon)) };
  }

  private read(series: string, quantile: number): { info: PlanForecastInfo; demand: PoolDemand['demand'] } {
    try {
      const f = this.deps.forecasts.forecast(series);
      return {
        info: { series, quantile, model: f.model, stale: f.stale, ...(f.fallbackReason !== undefined ? { fallbackReason: f.fallbackReason } : {}) },
        demand: quantileSeries(f, quantile),
      };
    } catch (err) {
      if (!(err instanceof PrescaleError)) throw err;
      // No forecast yet: the plan still holds the floors and minReplicas, and says why.
      return { info: { series, quantile, model: null, stale: true, unavailable: err.message }, demand: [] };
    }
  }
}
